package io.paperrun.integration.stannp;

import io.paperrun.integration.http.FormBoundary;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.stannp.StannpPrinters.StannpRegion;
import io.paperrun.mailing.DeliveryStatus;
import io.paperrun.mailing.MailingAddress;
import io.paperrun.mailing.Piece;
import io.paperrun.mailing.PieceRefusedException;
import io.paperrun.mailing.PieceTracking;
import io.paperrun.mailing.Printer;
import io.paperrun.mailing.SentPiece;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates postcards with Stannp ({@code POST /v1/postcards/create}, multipart, under the piece's
 * {@code X-Idempotency-Key}) and reads their status ({@code GET /v1/postcards/get/{id}}), providers.md §2. A replay
 * of an identical body answers 409 with the original body, which is success; the body is built to be identical (a
 * boundary from the key, PDFs without a clock in them).
 */
final class StannpPrinter implements Printer {

    static final String IDEMPOTENCY_KEY = "X-Idempotency-Key";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType PDF = MediaType.get("application/pdf");
    private static final Set<String> UK_SIZES = Set.of("A6", "A5");
    private static final Set<String> US_SIZES = Set.of("4x6", "6x9", "6x11");
    private static final DateTimeFormatter STANNP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ProviderHttpClient client;
    private final HttpUrl postcards;
    private final StannpRegion region;

    StannpPrinter(ProviderHttpClient client, HttpUrl postcards, StannpRegion region) {
        this.client = client;
        this.postcards = postcards;
        this.region = region;
    }

    @Override
    public String name() {
        return StannpPrinters.PROVIDER;
    }

    @Override
    public SentPiece send(Piece piece) throws IOException {
        String key = piece.idempotencyKey();
        if (key == null || key.length() < 10 || key.length() > 1024) {
            throw new IllegalArgumentException("Stannp's X-Idempotency-Key must have 10 to 1024 characters");
        }
        Set<String> sizes = region == StannpRegion.US ? US_SIZES : UK_SIZES;
        if (!sizes.contains(piece.size().code())) {
            throw new PieceRefusedException(
                    "Stannp (region " + region.name().toLowerCase(Locale.ROOT) + ") prints postcards of "
                            + String.join(", ", sizes.stream().sorted().toList()) + ", not "
                            + piece.size().code());
        }
        Request request = new Request.Builder()
                .url(postcards.newBuilder().addPathSegment("create").build())
                .header(IDEMPOTENCY_KEY, key)
                .post(form(piece))
                .build();
        String body;
        int status;
        try (Response response = client.execute(request)) {
            body = response.body().string();
            status = response.code();
            if (status == 401 || status == 403) {
                throw client.failure(
                        response, "Stannp refused the API key (integrations.stannp.api_key)" + error(body));
            }
            boolean success = succeeded(body);
            if (status == 409 && !success) {
                throw client.failure(response, "Stannp refused the idempotency key" + error(body));
            }
            if (status >= 400 && status < 500 && status != 404 && status != 409 && status != 429 && !success) {
                throw new PieceRefusedException(client.redaction()
                        .text(
                                errorText(body).isEmpty()
                                        ? "Stannp refused the postcard (" + status + ")"
                                        : errorText(body)));
            }
            if (!(response.isSuccessful() || status == 409) || !success) {
                throw client.failure(response, "Stannp did not create the postcard" + error(body));
            }
        }
        JsonNode data = client.json(request, body).path("data");
        String id = text(data.path("id"));
        if (id == null || id.equals("0")) {
            throw new IOException(client.redaction().describe(request) + ": the postcard has no id (a test create?)");
        }
        return new SentPiece(id, instant(text(data.path("created"))), cost(data.path("cost")));
    }

    @Override
    public PieceTracking track(String providerPieceId) throws IOException {
        Request request = new Request.Builder()
                .url(postcards
                        .newBuilder()
                        .addPathSegment("get")
                        .addPathSegment(providerPieceId)
                        .build())
                .get()
                .build();
        String body;
        try (Response response = client.execute(request)) {
            body = response.body().string();
            if (response.code() == 401 || response.code() == 403) {
                throw client.failure(
                        response, "Stannp refused the API key (integrations.stannp.api_key)" + error(body));
            }
            if (!response.isSuccessful() || !succeeded(body)) {
                throw client.failure(response, "Stannp did not read the postcard" + error(body));
            }
        }
        return tracking(client.json(request, body).path("data"));
    }

    /**
     * What a mailpiece's status says: received and producing are not yet in the mail, handed_over and local_delivery
     * in transit, delivered (in-home date: a delivery date when Stannp gives one, else the dispatch date, else the
     * piece's timestamp) and returned final, cancelled finished without a status. Stannp has no events, so the
     * status is the one event, with the id {@code <id>:<status>}.
     */
    static PieceTracking tracking(JsonNode data) {
        String id = text(data.path("id"));
        String status = text(data.path("status"));
        if (status == null) {
            return new PieceTracking(null, null, false, List.of());
        }
        Instant stamped = instant(text(data.path("timestamp")));
        Instant dispatched = instant(text(data.path("dispatched")));
        Instant delivered = firstOf(
                instant(text(data.path("delivered"))), instant(text(data.path("delivery_date"))), dispatched, stamped);
        DeliveryStatus delivery;
        boolean finished;
        Instant time;
        switch (status) {
            case "handed_over", "local_delivery" -> {
                delivery = DeliveryStatus.IN_TRANSIT;
                finished = false;
                time = firstOf(dispatched, stamped);
            }
            case "delivered" -> {
                delivery = DeliveryStatus.DELIVERED;
                finished = true;
                time = delivered;
            }
            case "returned" -> {
                delivery = DeliveryStatus.RETURNED_TO_SENDER;
                finished = true;
                time = firstOf(dispatched, stamped);
            }
            case "cancelled" -> {
                delivery = null;
                finished = true;
                time = stamped;
            }
            default -> {
                delivery = null;
                finished = false;
                time = stamped;
            }
        }
        LocalDate inHome = delivery == DeliveryStatus.DELIVERED && delivered != null
                ? LocalDate.ofInstant(delivered, ZoneOffset.UTC)
                : null;
        return new PieceTracking(
                delivery, inHome, finished, List.of(new PieceTracking.Event(id + ":" + status, status, time)));
    }

    /** The create's multipart form; its boundary follows from the key, so a repeat is the same bytes. */
    MultipartBody form(Piece piece) throws IOException {
        MultipartBody.Builder form =
                new MultipartBody.Builder(FormBoundary.of(piece.idempotencyKey())).setType(MultipartBody.FORM);
        form.addFormDataPart("size", piece.size().code());
        form.addFormDataPart(
                "front", "front.pdf", RequestBody.create(piece.artwork().front(), PDF));
        form.addFormDataPart(
                "back", "back.pdf", RequestBody.create(piece.artwork().back(), PDF));
        MailingAddress to = piece.to();
        String name = to.name() == null ? "" : to.name().strip();
        int space = name.indexOf(' ');
        field(form, "recipient[firstname]", space < 0 ? name : name.substring(0, space));
        field(form, "recipient[lastname]", space < 0 ? null : name.substring(space + 1));
        field(form, "recipient[address1]", to.address1());
        field(form, "recipient[address2]", to.address2());
        field(form, "recipient[city]", to.city());
        if (region == StannpRegion.US) {
            field(form, "recipient[state]", to.region());
            field(form, "recipient[zipcode]", to.zip());
        } else {
            field(form, "recipient[postcode]", to.zip());
        }
        field(form, "recipient[country]", to.country());
        return form.build();
    }

    private static void field(MultipartBody.Builder form, String name, String value) {
        if (value != null && !value.isBlank()) {
            form.addFormDataPart(name, value.strip());
        }
    }

    /** Stannp's {@code "cost": "0.55"} (a string, sometimes a number); null when absent or unreadable. */
    static BigDecimal cost(JsonNode cost) {
        if (cost.isNumber()) {
            return cost.decimalValue();
        }
        try {
            return cost.isString() && !cost.asString().isBlank()
                    ? new BigDecimal(cost.asString().strip())
                    : null;
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    private static boolean succeeded(String body) {
        try {
            return JSON.readTree(body).path("success").asBoolean(false);
        } catch (JacksonException notJson) {
            return false;
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.isString()
                    ? error.asString()
                    : error.isMissingNode() || error.isNull() ? "" : error.toString();
        } catch (JacksonException notJson) {
            return "";
        }
    }

    private String error(String body) {
        String text = errorText(body);
        return text.isEmpty() ? "" : ": " + client.redaction().text(text);
    }

    private static String text(JsonNode node) {
        if (node.isNumber()) {
            return node.asString();
        }
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    @SafeVarargs
    private static <T> T firstOf(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Stannp's {@code 2024-05-01 12:00:00} (read as UTC), an ISO date-time, or a bare date at midnight UTC. */
    static Instant instant(String text) {
        if (text == null || text.startsWith("0000")) {
            return null;
        }
        try {
            return LocalDateTime.parse(text, STANNP_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notStannp) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notIso) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException unreadable) {
                    return null;
                }
            }
        }
    }
}
