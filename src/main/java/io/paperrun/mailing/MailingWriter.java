package io.paperrun.mailing;

import io.paperrun.batch.LogContext;
import io.paperrun.batch.RunSummary;
import io.paperrun.batch.StepCounts;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.campaign.PostcardSettings;
import io.paperrun.campaign.PostcardSettings.PrinterName;
import io.paperrun.campaign.PostcardSettings.ReturnAddress;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import io.paperrun.recipient.RecipientRepository;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Mails a chunk of recipients exactly once (pipeline-rules.md §4). {@link Mode#SEND}: proofed recipients on the
 * do-not-mail list are suppressed, the others go {@code proofed → sending_staged → sending} with their printer and
 * idempotency key, committed before any printer is called. {@link Mode#SETTLE}: recipients left in {@code sending}
 * are sent again with the key they were committed with. The printers' answers are committed together ({@code sent},
 * or {@code failed} with a refusal's message); a piece the printer could not be reached for stays {@code sending},
 * and the step fails after the others are committed.
 */
public class MailingWriter implements ItemWriter<PieceToMail>, StepExecutionListener {

    /** Whether the chunk holds new pieces or pieces to settle. */
    public enum Mode {
        SEND,
        SETTLE
    }

    /** What mailing needs of the services around it. */
    public record Services(
            MailingRepository recipients,
            RecipientRepository requeue,
            OrganizationRepository organizations,
            CampaignRepository campaigns,
            Printers printers,
            ProofFiles proofs,
            TransactionTemplate ownTransaction) {}

    private final Mode mode;
    private final long jobExecutionId;
    private final Services services;
    private final ExecutorService calls;
    private final Map<Long, Campaign> campaigns = new HashMap<>();
    private final Map<Long, Organization> organizations = new HashMap<>();
    private final Map<String, Printer> printers = new HashMap<>();
    private final Map<Long, Long> requeued = new HashMap<>();
    private StepExecution step;

    public MailingWriter(Mode mode, long jobExecutionId, Services services, int concurrency) {
        this.mode = mode;
        this.jobExecutionId = jobExecutionId;
        this.services = services;
        this.calls = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "mailing-send");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.step = stepExecution;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        calls.shutdownNow();
        MailingCounts counts = StepCounts.of(List.of(stepExecution), MailingCounts::new);
        if (mode == Mode.SETTLE && counts.get("settled") + counts.get("failed") > 0) {
            stepExecution
                    .getExecutionContext()
                    .putString(
                            RunSummary.KEY,
                            "settled after an interruption: " + counts.get("settled") + " sent, " + counts.get("failed")
                                    + " refused by the printer");
        }
        return stepExecution.getExitStatus();
    }

    /** A piece with the printer and the key it is sent with. */
    private record Sending(PieceToMail row, PrinterName printer, String key) {}

    @Override
    public void write(Chunk<? extends PieceToMail> chunk) throws Exception {
        // The chunk's outcomes are committed in transactions of their own, whatever becomes of the chunk's.
        MailingCounts counts = new MailingCounts();
        try {
            send(chunk, counts);
        } finally {
            counts.addTo(step.getExecutionContext());
        }
    }

    private void send(Chunk<? extends PieceToMail> chunk, MailingCounts counts) throws Exception {
        List<Sending> toSend = services.ownTransaction().execute(status -> commitSending(chunk.getItems(), counts));
        List<MailingRepository.Sent> sent = new ArrayList<>();
        List<MailingRepository.Refused> refused = new ArrayList<>();
        IOException unreachable = null;
        List<Future<SentPiece>> answers = new ArrayList<>();
        for (Sending sending : toSend) {
            Printer printer = printer(sending);
            Piece piece = piece(sending);
            answers.add(calls.submit(
                    LogContext.carried(() -> mode == Mode.SETTLE ? printer.settle(piece) : printer.send(piece))));
        }
        for (int i = 0; i < toSend.size(); i++) {
            long id = toSend.get(i).row().id();
            try {
                SentPiece answer = answers.get(i).get();
                sent.add(new MailingRepository.Sent(id, answer.providerPieceId(), answer.acceptedAt(), answer.cost()));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof PieceRefusedException refusal) {
                    refused.add(new MailingRepository.Refused(id, reason(refusal.getMessage())));
                } else if (e.getCause() instanceof IOException failure) {
                    unreachable = unreachable == null ? failure : unreachable;
                } else {
                    throw e;
                }
            }
        }
        services.ownTransaction().executeWithoutResult(status -> {
            Map<Long, Instant> earliest = new HashMap<>();
            Map<Long, Long> campaignOf = new HashMap<>();
            toSend.forEach(t -> campaignOf.put(t.row().id(), t.row().campaignId()));
            for (MailingRepository.Sent s : sent) {
                earliest.merge(campaignOf.get(s.id()), s.sentAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
            services.requeue().requeueWhereFirstSendMoves(earliest, requeued);
            int marked = services.recipients().markSent(sent);
            counts.add(mode == Mode.SETTLE ? "settled" : "sent", marked);
            counts.add("failed", services.recipients().markFailed(refused));
        });
        if (unreachable != null) {
            throw unreachable;
        }
    }

    /** Commits {@code sending} for the chunk's pieces (and suppresses the listed ones); the pieces to send. */
    private List<Sending> commitSending(List<? extends PieceToMail> rows, MailingCounts counts) {
        List<Sending> toSend = new ArrayList<>();
        List<PieceToMail> staged = new ArrayList<>();
        if (mode == Mode.SEND) {
            Map<Long, List<PieceToMail>> byOrganization = new HashMap<>();
            rows.forEach(r -> byOrganization
                    .computeIfAbsent(r.organizationId(), o -> new ArrayList<>())
                    .add(r));
            Set<Long> suppressed = new HashSet<>();
            byOrganization.forEach(
                    (org, pieces) -> suppressed.addAll(services.recipients().suppressListed(org, pieces)));
            counts.add("suppressed", suppressed.size());
            long[] candidates = rows.stream()
                    .filter(r -> !suppressed.contains(r.id()))
                    .mapToLong(PieceToMail::id)
                    .toArray();
            Set<Long> taken = new HashSet<>(services.recipients().stage(candidates));
            rows.stream().filter(r -> taken.contains(r.id())).forEach(staged::add);
        } else {
            for (PieceToMail row : rows) {
                if (row.status().equals("sending")) {
                    toSend.add(new Sending(row, PrinterName.of(row.printer()), row.idempotencyKey()));
                } else {
                    staged.add(row);
                }
            }
        }
        List<Sending> newlySending = new ArrayList<>();
        for (PieceToMail row : staged) {
            Campaign campaign = campaign(row.campaignId());
            Organization organization = organization(row.organizationId());
            PrinterName printer = PrintStrategy.choose(
                    campaign.postcards().printer(),
                    row.country(),
                    design(campaign).size(),
                    organization.integrations());
            newlySending.add(new Sending(
                    row, printer, IdempotencyKeys.of(organization.slug(), campaign.key(), row.naturalKey(), row.id())));
        }
        newlySending.forEach(this::printer); // a printer that cannot be opened fails the chunk before any send
        services.recipients()
                .markSending(newlySending.stream()
                        .map(s -> new MailingRepository.Sending(
                                s.row().id(), s.printer().code(), s.key()))
                        .toList());
        toSend.addAll(newlySending);
        return toSend;
    }

    private Piece piece(Sending sending) {
        PieceToMail row = sending.row();
        Campaign campaign = campaign(row.campaignId());
        PostcardSettings.Design design = design(campaign);
        ReturnAddress from = design.returnAddress();
        if (row.proof() == null) {
            throw new IllegalStateException("recipient " + row.id() + " has no proof");
        }
        return new Piece(
                row.id(),
                sending.key(),
                organization(row.organizationId()).slug(),
                campaign.key(),
                row.externalId(),
                design.size(),
                row.address(),
                from == null
                        ? null
                        : new MailingAddress(
                                from.name(),
                                from.address1(),
                                from.address2(),
                                from.city(),
                                from.region(),
                                from.zip(),
                                from.country()),
                design.mailType(),
                design.useType(),
                new Artwork(services.proofs().resolve(row.proof())));
    }

    private Printer printer(Sending sending) {
        PieceToMail row = sending.row();
        String key = row.organizationId() + "/" + row.campaignId() + "/"
                + sending.printer().code();
        synchronized (printers) {
            return printers.computeIfAbsent(
                    key,
                    k -> services.printers()
                            .open(
                                    organization(row.organizationId()),
                                    sending.printer(),
                                    row.campaignId(),
                                    jobExecutionId));
        }
    }

    private Campaign campaign(long id) {
        return campaigns.computeIfAbsent(
                id,
                c -> services.campaigns()
                        .findById(c)
                        .orElseThrow(() -> new IllegalStateException("campaign " + c + " is gone")));
    }

    private Organization organization(long id) {
        return organizations.computeIfAbsent(
                id,
                o -> services.organizations()
                        .findById(o)
                        .orElseThrow(() -> new IllegalStateException("organization " + o + " is gone")));
    }

    private static PostcardSettings.Design design(Campaign campaign) {
        PostcardSettings.Design design = campaign.postcards().design();
        if (design == null) {
            throw new IllegalStateException("campaign " + campaign.key() + " has no postcard design");
        }
        return design;
    }

    private static String reason(String message) {
        String text = message == null || message.isBlank() ? "refused by the printer" : message.strip();
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
