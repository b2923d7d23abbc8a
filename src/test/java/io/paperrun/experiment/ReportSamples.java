package io.paperrun.experiment;

import io.paperrun.experiment.CampaignReport.MethodTotals;
import io.paperrun.experiment.CampaignReport.WeekTotals;
import io.paperrun.experiment.ExperimentAnalysis.Interval;
import io.paperrun.experiment.ExperimentAnalysis.LiftInterval;
import io.paperrun.experiment.ExperimentAnalysis.MinimumDetectableEffect;
import io.paperrun.experiment.ExperimentAnalysis.RevenueTest;
import io.paperrun.experiment.ExperimentAnalysis.SampleRatio;
import io.paperrun.experiment.ExperimentReport.DailyRevenue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reports built by hand, after the example of interface.md's {@code report experiment --format json}. */
final class ReportSamples {

    static final Instant FIRST_SEND = Instant.parse("2024-03-01T09:00:00Z");
    static final Instant GENERATED = Instant.parse("2024-04-20T06:30:00Z");

    private ReportSamples() {}

    static GroupTotals group(long recipients, long conversions, long orders, String revenue) {
        return new GroupTotals(recipients, conversions, orders, new BigDecimal(revenue), BigDecimal.ZERO);
    }

    /** interface.md's example: 900 mailed, 100 held out, not significant. */
    static ExperimentAnalysis analysis() {
        return new Analysis().build();
    }

    /** An analysis to change field by field, starting from interface.md's example. */
    static final class Analysis {
        GroupTotals experiment = group(900, 45, 51, "3100.50");
        GroupTotals control = group(100, 3, 3, "150.00");
        Double experimentRate = 0.05;
        Double controlRate = 0.03;
        Interval experimentRateInterval = new Interval(0.0375, 0.0663);
        Interval controlRateInterval = new Interval(0.0103, 0.0845);
        Double uplift = 0.6667;
        Double zScore = 0.89;
        Double pValue = 0.19;
        Double winProbability = 0.81;
        Boolean significant = false;
        String winner = "experiment";
        double alpha = 0.05;
        BigDecimal totalCost = new BigDecimal("801.00");
        Double incrementalRevenue = 1750.50;
        Double incrementalRoas = 2.18;
        Double incrementalCustomers = 24.0;
        Double cac = 33.37;
        LiftInterval liftInterval = new LiftInterval(0.95, new Interval(-0.012, 0.052), new Interval(-0.41, 1.74));
        SampleRatio sampleRatio = new SampleRatio(0.10, 0.10, 0.0, 1.0, false);
        RevenueTest revenueTest = new RevenueTest(3.445, 1.5, 2.41, 312.4, 0.008);
        MinimumDetectableEffect mde = new MinimumDetectableEffect(0.8, 0.041, 1.37);

        /** Sets both groups and their conversion rates. */
        Analysis groups(GroupTotals experiment, GroupTotals control) {
            this.experiment = experiment;
            this.control = control;
            experimentRate = rate(experiment);
            controlRate = rate(control);
            return this;
        }

        /** Every value undefined but the groups' totals, alpha and the cost. */
        Analysis undefined() {
            experimentRate = controlRate = uplift = zScore = pValue = winProbability = null;
            incrementalRevenue = incrementalRoas = incrementalCustomers = cac = null;
            experimentRateInterval = controlRateInterval = Interval.UNDEFINED;
            significant = null;
            winner = null;
            liftInterval = null;
            sampleRatio = null;
            revenueTest = null;
            mde = null;
            return this;
        }

        private static Double rate(GroupTotals g) {
            return g.recipients() == 0 ? null : (double) g.conversions() / g.recipients();
        }

        ExperimentAnalysis build() {
            return new ExperimentAnalysis(
                    experiment,
                    control,
                    experimentRate,
                    controlRate,
                    experimentRateInterval,
                    controlRateInterval,
                    uplift,
                    zScore,
                    pValue,
                    winProbability,
                    significant,
                    winner,
                    alpha,
                    totalCost,
                    incrementalRevenue,
                    incrementalRoas,
                    incrementalCustomers,
                    cac,
                    liftInterval,
                    sampleRatio,
                    revenueTest,
                    mde);
        }
    }

    /** Orders spread over days -2 to 41 in both groups, summing to the groups' revenue (3,100.50 and 150.00). */
    static List<DailyRevenue> daily() {
        List<DailyRevenue> days = new ArrayList<>();
        days.add(new DailyRevenue(-2, new BigDecimal("40.00"), BigDecimal.ZERO));
        days.add(new DailyRevenue(0, new BigDecimal("60.50"), new BigDecimal("20.00")));
        long[] experiment = {
            300, 400, 335, 260, 190, 170, 150, 140, 120, 110, 100, 90, 80, 75, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20,
            15, 10, 10, 10, 5, 5
        };
        long[] control = {
            0, 10, 0, 0, 15, 0, 5, 0, 10, 0, 0, 20, 0, 0, 5, 0, 10, 0, 0, 15, 0, 0, 10, 0, 0, 5, 0, 10, 0, 15
        };
        long restExperiment = 0;
        long restControl = 0;
        for (int i = 0; i < experiment.length; i++) {
            days.add(new DailyRevenue(
                    i + 3 + (i > 20 ? i - 20 : 0), BigDecimal.valueOf(experiment[i]), BigDecimal.valueOf(control[i])));
            restExperiment += experiment[i];
            restControl += control[i];
        }
        if (restExperiment != 3000 || restControl != 130) {
            throw new IllegalStateException(restExperiment + " " + restControl);
        }
        return days;
    }

    static Funnel funnel() {
        return new Funnel(List.of(
                new Funnel.Stage("audience", null, 1100),
                new Funnel.Stage("suppressed", "do_not_mail", 40),
                new Funnel.Stage("undeliverable", "bad_address", 60),
                new Funnel.Stage("holdout", null, 100),
                new Funnel.Stage("sent", null, 900),
                new Funnel.Stage("delivered", null, 870),
                new Funnel.Stage("returned", null, 12)));
    }

    static ExperimentReport report() {
        return report(analysis(), daily(), 0, 0);
    }

    static ExperimentReport report(
            ExperimentAnalysis analysis, List<DailyRevenue> daily, long inProgress, long unprocessed) {
        return report("Winback spring 2024", 500, analysis, daily, funnel(), inProgress, unprocessed);
    }

    static ExperimentReport report(
            String campaignName,
            Integer holdoutMaximum,
            ExperimentAnalysis analysis,
            List<DailyRevenue> daily,
            Funnel funnel,
            long inProgress,
            long unprocessed) {
        return new ExperimentReport(
                "acme",
                "winback-2024",
                campaignName,
                ExperimentMetric.ALL_ORDERS,
                GENERATED,
                FIRST_SEND,
                new BigDecimal("10"),
                holdoutMaximum,
                analysis,
                daily,
                funnel,
                inProgress,
                unprocessed);
    }

    static CampaignReport campaign() {
        return new CampaignReport(
                "acme",
                "winback-2024",
                "Winback spring 2024",
                "active",
                GENERATED,
                FIRST_SEND,
                funnel(),
                900,
                new BigDecimal("801.00"),
                51,
                new BigDecimal("3100.50"),
                3.87,
                3,
                new BigDecimal("150.00"),
                List.of(
                        new MethodTotals("email", false, 30, new BigDecimal("1800.00")),
                        new MethodTotals("physical_address", false, 12, new BigDecimal("800.50")),
                        new MethodTotals("discount_code", false, 9, new BigDecimal("500.00")),
                        new MethodTotals("email", true, 3, new BigDecimal("150.00"))),
                List.of(
                        new WeekTotals(0, 20, new BigDecimal("1200.00")),
                        new WeekTotals(1, 14, new BigDecimal("900.00")),
                        new WeekTotals(2, 8, new BigDecimal("500.50")),
                        new WeekTotals(4, 6, new BigDecimal("300.00")),
                        new WeekTotals(6, 3, new BigDecimal("200.00"))),
                0);
    }
}
