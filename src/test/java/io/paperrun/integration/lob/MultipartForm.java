package io.paperrun.integration.lob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.Buffer;

/**
 * A {@code multipart/form-data} request body as a print API reads it: its text fields and its file parts (with
 * their file names), each by its form name in the order sent. Shared by the printer fakes.
 */
public record MultipartForm(Map<String, String> fields, Map<String, byte[]> files, Map<String, String> fileNames) {

    private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");
    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]*)\"");

    /** Whether {@code request} carries a multipart form. */
    public static boolean isMultipart(RecordedRequest request) {
        String type = request.getHeaders().get("Content-Type");
        return type != null && type.toLowerCase().startsWith("multipart/form-data");
    }

    /** The form of {@code request}; refused when the body is not a well-formed multipart form. */
    public static MultipartForm of(RecordedRequest request) {
        MediaType type = MediaType.parse(request.getHeaders().get("Content-Type"));
        if (type == null || type.parameter("boundary") == null) {
            throw new IllegalArgumentException(
                    "not a multipart form: " + request.getHeaders().get("Content-Type"));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> fileNames = new LinkedHashMap<>();
        Buffer body = new Buffer().write(request.getBody());
        try (MultipartReader reader = new MultipartReader(body, type.parameter("boundary"))) {
            for (MultipartReader.Part next = reader.nextPart(); next != null; next = reader.nextPart()) {
                try (MultipartReader.Part part = next) {
                    String disposition = part.headers().get("Content-Disposition");
                    Matcher name = NAME.matcher(disposition == null ? "" : disposition);
                    if (!name.find()) {
                        throw new IllegalArgumentException("a part without a name: " + disposition);
                    }
                    Matcher fileName = FILE_NAME.matcher(disposition);
                    if (fileName.find()) {
                        files.put(name.group(1), part.body().readByteArray());
                        fileNames.put(name.group(1), fileName.group(1));
                    } else {
                        fields.put(name.group(1), part.body().readUtf8());
                    }
                }
            }
        } catch (IOException malformed) {
            throw new UncheckedIOException(malformed);
        }
        return new MultipartForm(
                Collections.unmodifiableMap(fields),
                Collections.unmodifiableMap(files),
                Collections.unmodifiableMap(fileNames));
    }

    /** The text field {@code name}, or null. */
    public String field(String name) {
        return fields.get(name);
    }
}
