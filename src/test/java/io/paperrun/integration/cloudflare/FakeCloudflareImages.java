package io.paperrun.integration.cloudflare;

import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cloudflare Images' upload and image details as providers.md §8 shows them: {@code POST
 * /client/v4/accounts/{account}/images/v1} (multipart {@code file} and optional {@code id}, Bearer token), answered
 * with {@code {"result": {id, filename, uploaded, requireSignedURLs, variants}, "success": true, ...}}; an id already
 * taken 409 {@code 5409 Resource already exists}; {@code GET .../images/v1/{id}} the same result; another token 401.
 */
public final class FakeCloudflareImages extends Dispatcher {

    public static final String ACCOUNT_HASH = "Vi7wi5KSItxGFsWRG2Us6Q";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"(?:; filename=\"([^\"]*)\")?");

    private final String account;
    private final String token;
    private final Map<String, byte[]> images = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<MockResponse> first = new ConcurrentLinkedDeque<>();

    public FakeCloudflareImages(String account, String token) {
        this.account = account;
        this.token = token;
    }

    /** Answered, in order, before anything else: a 429, a 500... */
    public void answerFirst(MockResponse... responses) {
        first.addAll(List.of(responses));
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The images stored, by id. */
    public Map<String, byte[]> images() {
        return Map.copyOf(images);
    }

    /** The delivery URL of an image's {@code public} variant. */
    public static String variant(String id) {
        return "https://imagedelivery.net/" + ACCOUNT_HASH + "/" + id + "/public";
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        MockResponse queued = first.poll();
        if (queued != null) {
            return queued;
        }
        if (!("Bearer " + token).equals(request.getHeaders().get("Authorization"))) {
            return error(401, 10000, "Authentication error");
        }
        String images = "/client/v4/accounts/" + account + "/images/v1";
        String path = request.getUrl().encodedPath();
        if ("POST".equals(request.getMethod()) && images.equals(path)) {
            return upload(request);
        }
        if ("GET".equals(request.getMethod()) && path.startsWith(images + "/")) {
            String id = path.substring(images.length() + 1);
            return images().containsKey(id) ? ok(id) : error(404, 5404, "Image not found");
        }
        return error(404, 7003, "Could not route to " + path);
    }

    private MockResponse upload(RecordedRequest request) {
        Map<String, Part> parts = parts(request);
        Part file = parts.get("file");
        if (file == null || file.bytes().length == 0) {
            return error(400, 5400, "Bad request: missing file");
        }
        String id = parts.containsKey("id")
                ? new String(parts.get("id").bytes(), StandardCharsets.UTF_8)
                : "generated-" + images.size();
        if (images.putIfAbsent(id, file.bytes()) != null) {
            return error(409, 5409, "Resource already exists");
        }
        return ok(id);
    }

    private static MockResponse ok(String id) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode result = body.putObject("result");
        result.put("id", id);
        result.put("filename", id + ".png");
        result.put("uploaded", "2026-06-01T12:00:00.000Z");
        result.put("requireSignedURLs", false);
        ArrayNode variants = result.putArray("variants");
        variants.add(variant(id));
        variants.add("https://imagedelivery.net/" + ACCOUNT_HASH + "/" + id + "/thumbnail");
        body.put("success", true);
        body.putArray("errors");
        body.putArray("messages");
        return json(200, body);
    }

    /** Cloudflare's error body: {@code {"result": null, "success": false, "errors": [{code, message}]}}. */
    public static MockResponse error(int status, int code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putNull("result");
        body.put("success", false);
        body.putArray("errors").addObject().put("code", code).put("message", message);
        body.putArray("messages");
        return json(status, body);
    }

    private static MockResponse json(int status, ObjectNode body) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }

    /** A part of a multipart body: its file name (null for a field), content type and bytes. */
    public record Part(String filename, String contentType, byte[] bytes) {}

    /** The parts of a multipart/form-data request, by field name. */
    public static Map<String, Part> parts(RecordedRequest request) {
        String type = request.getHeaders().get("Content-Type");
        Map<String, Part> parts = new LinkedHashMap<>();
        if (type == null || !type.startsWith("multipart/form-data; boundary=")) {
            return parts;
        }
        byte[] body = request.getBody().toByteArray();
        String text = new String(body, StandardCharsets.ISO_8859_1); // one char per byte: offsets are byte offsets
        String delimiter = "--" + type.substring(type.indexOf("boundary=") + "boundary=".length());
        int at = text.indexOf(delimiter);
        while (at >= 0) {
            int start = at + delimiter.length();
            if (text.startsWith("--", start)) {
                break;
            }
            int headersEnd = text.indexOf("\r\n\r\n", start);
            int next = text.indexOf("\r\n" + delimiter, headersEnd);
            String headers = text.substring(start, headersEnd);
            Matcher name = NAME.matcher(headers);
            String contentType = null;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).trim();
                }
            }
            if (name.find()) {
                byte[] bytes = new byte[next - headersEnd - 4];
                System.arraycopy(body, headersEnd + 4, bytes, 0, bytes.length);
                parts.put(name.group(1), new Part(name.group(2), contentType, bytes));
            }
            at = next + 2;
        }
        return parts;
    }
}
