package io.paperrun.integration.lob;

import io.paperrun.integration.http.FormBoundary;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.mailing.DeliveryStatus;
import io.paperrun.mailing.MailingAddress;
import io.paperrun.mailing.Piece;
import io.paperrun.mailing.PieceRefusedException;
import io.paperrun.mailing.PieceTracking;
import io.paperrun.mailing.Printer;
import io.paperrun.mailing.SentPiece;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Creates postcards with Lob ({@code POST /v1/postcards}, multipart with the artwork's sides as one-page PDFs, under
 * the piece's {@code Idempotency-Key}) and reads their tracking events ({@code GET /v1/postcards/{id}}), providers.md
 * §1. A create carries its key, so 429 and 5xx are retried with it; a 422 refuses the piece.
 */
final class LobPrinter implements Printer {

    static final String DELIVERED = "Delivered";
    static final String RETURNED_TO_SENDER = "Returned to Sender";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType PDF = MediaType.get("application/pdf");
    private static final Set<String> SIZES = Set.of("4x6", "6x9", "6x11");

    private final ProviderHttpClient client;
    private final HttpUrl postcards;

    LobPrinter(ProviderHttpClient client, HttpUrl postcards) {
        this.client = client;
        this.postcards = postcards;
    }

    @Override
    public String name() {
        return LobAddressVerifiers.PROVIDER;
    }

    @Override
    public SentPiece send(Piece piece) throws IOException {
        if (!SIZES.contains(piece.size().code())) {
            throw new PieceRefusedException("Lob prints postcards of 4x6, 6x9 or 6x11, not "
                    + piece.size().code());
        }
        Request request = new Request.Builder()
                .url(postcards)
                .header("Idempotency-Key", piece.idempotencyKey())
                .post(form(piece))
                .tag(ProviderHttpClient.SafeToRepeat.class, ProviderHttpClient.SafeToRepeat.RETRY_429)
                .build();
        String body;
        try (Response response = client.execute(request)) {
            body = response.body().string();
            int status = response.code();
            if (status == 401 || status == 403) {
                throw client.failure(response, "Lob refused the API key (integrations.lob.api_key)" + code(body));
            }
            if (status == 422 || status == 400) {
                throw new PieceRefusedException(
                        client.redaction().text(message(body).orElse("Lob refused the postcard (" + status + ")")));
            }
            if (!response.isSuccessful()) {
                throw client.failure(response, "Lob did not create the postcard" + code(body));
            }
        }
        JsonNode postcard = client.json(request, body);
        String id = text(postcard.path("id"));
        if (id == null) {
            throw new IOException(client.redaction().describe(request) + ": the postcard has no id");
        }
        return new SentPiece(id, instant(text(postcard.path("date_created"))), null);
    }

    /**
     * Lob keeps an idempotency key for 24 hours only: a piece left in {@code sending} is first looked up by the key
     * it carries in its metadata ({@code metadata[piece]}), and sent again with its key only when Lob has none.
     */
    @Override
    public SentPiece settle(Piece piece) throws IOException {
        Request request = new Request.Builder()
                .url(postcards
                        .newBuilder()
                        .addQueryParameter("metadata[piece]", piece.idempotencyKey())
                        .addQueryParameter("limit", "10")
                        .build())
                .get()
                .build();
        String body;
        try (Response response = client.execute(request)) {
            body = response.body().string();
            if (response.code() == 401 || response.code() == 403) {
                throw client.failure(response, "Lob refused the API key (integrations.lob.api_key)" + code(body));
            }
            if (!response.isSuccessful()) {
                throw client.failure(response, "Lob did not list the postcards" + code(body));
            }
        }
        for (JsonNode postcard : client.json(request, body).path("data")) {
            String id = text(postcard.path("id"));
            if (id != null
                    && piece.idempotencyKey()
                            .equals(text(postcard.path("metadata").path("piece")))
                    && !postcard.path("deleted").asBoolean(false)) {
                return new SentPiece(id, instant(text(postcard.path("date_created"))), null);
            }
        }
        return send(piece);
    }

    @Override
    public PieceTracking track(String providerPieceId) throws IOException {
        Request request = new Request.Builder()
                .url(postcards.newBuilder().addPathSegment(providerPieceId).build())
                .get()
                .build();
        String body;
        try (Response response = client.execute(request)) {
            body = response.body().string();
            if (response.code() == 401 || response.code() == 403) {
                throw client.failure(response, "Lob refused the API key (integrations.lob.api_key)" + code(body));
            }
            if (!response.isSuccessful()) {
                throw client.failure(response, "Lob did not read the postcard" + code(body));
            }
        }
        return tracking(client.json(request, body));
    }

    /**
     * What a postcard object says: returned to sender, else delivered (in-home date that event's UTC date), else in
     * transit once any event is there; finished when final, deleted or failed.
     */
    static PieceTracking tracking(JsonNode postcard) {
        List<PieceTracking.Event> events = new ArrayList<>();
        Instant delivered = null;
        boolean returned = false;
        for (JsonNode event : postcard.path("tracking_events")) {
            String name = text(event.path("name"));
            Instant time = instant(text(event.path("time")));
            events.add(new PieceTracking.Event(text(event.path("id")), name, time));
            if (RETURNED_TO_SENDER.equalsIgnoreCase(name)) {
                returned = true;
            } else if (DELIVERED.equalsIgnoreCase(name) && delivered == null) {
                delivered = time;
            }
        }
        DeliveryStatus status = returned
                ? DeliveryStatus.RETURNED_TO_SENDER
                : delivered != null ? DeliveryStatus.DELIVERED : events.isEmpty() ? null : DeliveryStatus.IN_TRANSIT;
        LocalDate inHome = status == DeliveryStatus.DELIVERED ? LocalDate.ofInstant(delivered, ZoneOffset.UTC) : null;
        boolean finished = (status != null && status.isFinal())
                || postcard.path("deleted").asBoolean(false)
                || "failed".equals(text(postcard.path("status")));
        return new PieceTracking(status, inHome, finished, events);
    }

    /** The create's multipart form; its boundary follows from the key, so a repeat is the same bytes. */
    static MultipartBody form(Piece piece) throws IOException {
        MultipartBody.Builder form =
                new MultipartBody.Builder(FormBoundary.of(piece.idempotencyKey())).setType(MultipartBody.FORM);
        address(form, "to", piece.to());
        if (piece.from() != null) {
            address(form, "from", piece.from());
        }
        form.addFormDataPart(
                "front", "front.pdf", RequestBody.create(piece.artwork().front(), PDF));
        form.addFormDataPart(
                "back", "back.pdf", RequestBody.create(piece.artwork().back(), PDF));
        form.addFormDataPart("size", piece.size().code());
        field(form, "mail_type", piece.mailType());
        form.addFormDataPart("use_type", blank(piece.useType()) ? "marketing" : piece.useType());
        form.addFormDataPart("metadata[recipient]", Long.toString(piece.recipientId()));
        field(form, "metadata[campaign]", piece.campaign());
        form.addFormDataPart("metadata[piece]", piece.idempotencyKey());
        return form.build();
    }

    private static void address(MultipartBody.Builder form, String which, MailingAddress address) {
        field(form, which + "[name]", address.name());
        field(form, which + "[address_line1]", address.address1());
        field(form, which + "[address_line2]", address.address2());
        field(form, which + "[address_city]", address.city());
        field(form, which + "[address_state]", address.region());
        field(form, which + "[address_zip]", address.zip());
        field(form, which + "[address_country]", address.country());
    }

    private static void field(MultipartBody.Builder form, String name, String value) {
        if (!blank(value)) {
            form.addFormDataPart(name, value.strip());
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    /** Lob's ISO date-time ({@code 2024-05-01T17:47:53.767Z}), or a bare date as midnight UTC. */
    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** {@code ": invalid"}: the code of Lob's error body, else nothing. */
    private static String code(String body) {
        return error(body, "code").map(code -> ": " + code).orElse("");
    }

    private static Optional<String> message(String body) {
        return error(body, "message");
    }

    /** A field of Lob's error body {@code {"error": {message, status_code, code}}}. */
    private static Optional<String> error(String body, String field) {
        try {
            return Optional.ofNullable(text(JSON.readTree(body).path("error").path(field)));
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
    }
}
