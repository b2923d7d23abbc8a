package io.paperrun.experiment;

import io.paperrun.experiment.ExperimentAnalysis.MinimumDetectableEffect;
import io.paperrun.experiment.ExperimentAnalysis.SampleRatio;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * An experiment report in plain words, for the command line and the HTML report: the headline verdict, the line on
 * money (null when incremental revenue is undefined) and the warnings, each one sentence.
 */
public record ExperimentVerdict(String headline, String money, List<String> warnings) {

    public ExperimentVerdict {
        warnings = List.copyOf(warnings);
    }

    /** The verdict on {@code report}; a null analysis or group reads as a group without recipients. */
    public static ExperimentVerdict of(ExperimentReport report) {
        Groups groups = Groups.of(report.analysis());
        ExperimentAnalysis a = report.analysis();
        List<String> warnings = new ArrayList<>();
        boolean capped = holdoutCapped(report, groups);
        if (!capped && a != null && a.sampleRatio() != null && a.sampleRatio().mismatch()) {
            warnings.add(sampleRatioMismatch(a.sampleRatio()));
        }
        if (capped) {
            warnings.add("The holdout reached its maximum of "
                    + Figures.plural(report.holdoutMaximum(), "recipient", "recipients")
                    + ", so the control group's share is not checked against the holdout percentage.");
        }
        if (groups.measurable()) {
            String tooFew = tooFewToTell(a, groups);
            if (tooFew != null) {
                warnings.add(tooFew);
            }
        }
        if (report.inProgress() > 0) {
            warnings.add(Figures.plural(report.inProgress(), "recipient is", "recipients are")
                    + " still in progress (pending, proofed or sending), so the groups are not final.");
        }
        if (report.unprocessed() > 0) {
            warnings.add(unprocessed(report.unprocessed()));
        }
        return new ExperimentVerdict(headline(a, groups), money(a), warnings);
    }

    /** The headline, the money line when there is one, then each warning. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(headline);
        if (money != null) {
            lines.add(money);
        }
        warnings.forEach(w -> lines.add("Warning: " + w));
        return lines;
    }

    /** The sentence on attributions attribution-processing has not decided yet; shared with the campaign report. */
    static String unprocessed(long attributions) {
        return Figures.plural(attributions, "attribution is", "attributions are")
                + " not processed yet, so their orders are not counted: run paperrun run attribution-processing.";
    }

    private static String headline(ExperimentAnalysis a, Groups g) {
        if (!g.measurable()) {
            return "Not enough data yet: " + Figures.count(g.experiment.recipients()) + " mailed and "
                    + Figures.count(g.control.recipients()) + " held out.";
        }
        double ce = g.experimentRate;
        double cc = g.controlRate;
        if (cc == 0 && ce == 0) {
            return "No one has bought yet: neither the " + Figures.count(g.experiment.recipients()) + " mailed nor the "
                    + Figures.count(g.control.recipients()) + " held out.";
        }
        if (cc == 0) {
            return "Mailed customers converted at " + Figures.percent(ce)
                    + "; no one in the control group bought, so the lift cannot be measured as a ratio.";
        }
        if (ce == cc) {
            return "Mailed customers bought exactly as often as the control group (" + Figures.percent(ce) + ").";
        }
        Double win = a.winProbability();
        double ratio = ce / cc;
        if (ratio > 1) {
            return "Mailed customers bought " + Figures.ratio(ratio) + " as often"
                    + (win == null ? "." : "; " + Figures.probability(win) + " likely the postcards caused it.");
        }
        return "Mailed customers bought " + Figures.ratio(ratio) + " as often as the control group"
                + (win == null ? "." : "; " + Figures.probability(win) + " likely the postcards helped.");
    }

    private static String money(ExperimentAnalysis a) {
        if (a == null || a.incrementalRevenue() == null) {
            return null;
        }
        String revenue = "Incremental revenue " + Figures.money(a.incrementalRevenue());
        BigDecimal cost = a.totalCost();
        if (cost == null || cost.signum() <= 0 || a.incrementalRoas() == null) {
            return revenue + " (no cost recorded).";
        }
        return revenue + " on a cost of " + Figures.money(cost) + ": " + Figures.roas(a.incrementalRoas()) + " return.";
    }

    private static String sampleRatioMismatch(SampleRatio s) {
        String p = s.pValue() == null ? "" : ", p " + pClause(s.pValue());
        if (s.expectedControlShare() == null || s.observedControlShare() == null) {
            return "The groups' sizes do not match the holdout share (sample-ratio mismatch" + p
                    + "): the groups may not be comparable.";
        }
        return "The control group is " + Figures.percent(s.observedControlShare()) + " of recipients where "
                + Figures.percent(s.expectedControlShare()) + " was expected (sample-ratio mismatch" + p
                + "): the groups may not be comparable.";
    }

    private static String pClause(double p) {
        String v = Figures.pValue(p);
        return v.startsWith("<") ? v : "= " + v;
    }

    /** When the test is not significant and the observed lift is below what the groups' sizes can detect. */
    private static String tooFewToTell(ExperimentAnalysis a, Groups g) {
        MinimumDetectableEffect mde = a.mde();
        if (Boolean.TRUE.equals(a.significant()) || mde == null || mde.absolute() == null) {
            return null;
        }
        double observed = g.experimentRate - g.controlRate;
        if (observed >= mde.absolute()) {
            return null;
        }
        String relative = mde.relative() == null ? "" : " (" + Figures.percent(mde.relative()) + " relative)";
        return "Too few recipients to tell: with these group sizes only a lift of at least "
                + Figures.points(mde.absolute()) + relative + " could be detected; the observed lift is "
                + Figures.points(observed) + ".";
    }

    private static boolean holdoutCapped(ExperimentReport report, Groups g) {
        return report.holdoutMaximum() != null && g.control.recipients() >= report.holdoutMaximum();
    }

    /** The two groups (empty when missing) with their conversion rates as the analysis gives them. */
    record Groups(GroupTotals experiment, GroupTotals control, Double experimentRate, Double controlRate) {

        static Groups of(ExperimentAnalysis a) {
            if (a == null) {
                return new Groups(GroupTotals.EMPTY, GroupTotals.EMPTY, null, null);
            }
            return new Groups(
                    a.experiment() == null ? GroupTotals.EMPTY : a.experiment(),
                    a.control() == null ? GroupTotals.EMPTY : a.control(),
                    a.experimentRate(),
                    a.controlRate());
        }

        /** Both groups have recipients. */
        boolean populated() {
            return experiment.recipients() > 0 && control.recipients() > 0;
        }

        /** Both groups have recipients and conversion rates. */
        boolean measurable() {
            return populated() && experimentRate != null && controlRate != null;
        }
    }
}
