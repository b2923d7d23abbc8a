package io.paperrun.integration.csv;

import io.paperrun.batch.Excerpt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * An input CSV file: UTF-8, a header row, columns in any order. Checked before a
 * job is launched, so that an unreadable file or a wrong header changes nothing.
 */
public final class CsvFile {

    public static final CSVFormat FORMAT = CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .setAllowMissingColumnNames(false)
            .get();

    private CsvFile() {}

    /** A check of a CSV file's header, made before anything is launched. */
    @FunctionalInterface
    public interface HeaderCheck {
        Header check(Path file) throws IOException;
    }

    /**
     * The check of a file format's header: {@code orders}, {@code recipients}, {@code do-not-mail} or
     * {@code codes}, as the catalog names them.
     */
    public static HeaderCheck headerCheck(String format) {
        return switch (format) {
            case "orders" -> CsvOrderSource::checkHeader;
            case "recipients" -> CsvAudienceSource::checkHeader;
            case "do-not-mail" -> CsvDoNotMailSource::checkHeader;
            case "codes" -> CsvDiscountCodeSource::checkHeader;
            default -> throw new IllegalArgumentException("no CSV file format '" + format + "'");
        };
    }

    /** The file cannot be used at all; nothing was imported. */
    public static final class UnusableFileException extends IOException {
        public UnusableFileException(String message) {
            super(message);
        }
    }

    /**
     * What the text of a file holds in place of bytes that are not UTF-8: a noncharacter (U+FFFF), which no
     * text interchanged is meant to contain, so that such a row is rejected by itself ({@link #isUtf8}) and
     * the rows around it are read. A decoder that stopped there lost the lines it had read ahead with them.
     */
    public static final char NOT_UTF8 = '\uFFFF';

    /** Whether a value read with {@link #open} was valid UTF-8 in the file. */
    public static boolean isUtf8(String value) {
        return value.indexOf(NOT_UTF8) < 0;
    }

    /**
     * Opens a file as UTF-8 text, past a byte-order mark if it has one (as spreadsheets write them); bytes that
     * are not UTF-8 read as {@link #NOT_UTF8}.
     */
    public static Reader open(Path file) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(NOT_UTF8));
        BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), utf8), 1 << 16);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /**
     * A column's name as the importers know it: header names are compared without regard to case
     * ({@code Order_ID} is {@code order_id}), as a spreadsheet may capitalise them; a header that names a column
     * twice in two cases is refused.
     */
    public static String columnName(String header) {
        return header.toLowerCase(Locale.ROOT);
    }

    /** The file's columns by {@link #columnName}, each with its index. */
    public static Map<String, Integer> columnIndexes(Map<String, Integer> headerMap) {
        Map<String, Integer> byName = new HashMap<>();
        headerMap.forEach((header, index) -> byName.put(columnName(header), index));
        return byName;
    }

    /** What a file's header says: the columns that will be ignored. */
    public record Header(List<String> columns, List<String> unknownColumns) {}

    /**
     * Reads the header and checks it: every column in {@code required} is present (and, when
     * {@code oneOf} is not empty, at least one column of it), no column appears twice.
     */
    public static Header checkHeader(Path file, Set<String> known, Set<String> required, Set<String> oneOf)
            throws IOException {
        if (Files.isDirectory(file)) {
            throw new UnusableFileException(file + ": a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UnusableFileException(file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new UnusableFileException(file + ": not readable");
        }
        List<String> columns;
        try (Reader reader = open(file);
                CSVParser parser =
                        CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            columns = parser.getHeaderNames();
        } catch (NoSuchFileException e) {
            throw new UnusableFileException(file + ": no such file");
        } catch (UncheckedIOException e) {
            throw new UnusableFileException(
                    file + ": cannot read the header row: " + Excerpt.of(String.valueOf(e.getMessage())));
        } catch (IllegalArgumentException | IOException e) {
            throw new UnusableFileException(
                    file + ": cannot read the header row: " + Excerpt.of(String.valueOf(e.getMessage())));
        }
        if (columns.isEmpty()) {
            throw new UnusableFileException(file + ": empty, or no header row");
        }
        if (!columns.stream().allMatch(CsvFile::isUtf8)) {
            throw new UnusableFileException(file + ": cannot read the header row: not valid UTF-8 text");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String c : columns) {
            if (!seen.add(columnName(c))) {
                throw new UnusableFileException(file + ": column " + Excerpt.quote(c) + " appears twice in the header");
            }
        }
        List<String> names = columns.stream().map(CsvFile::columnName).toList();
        List<String> missing =
                required.stream().filter(r -> !names.contains(r)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new UnusableFileException(file + ": the header lacks required column(s) " + String.join(", ", missing)
                    + " (header: " + Excerpt.of(String.join(",", columns)) + ")");
        }
        if (!oneOf.isEmpty() && oneOf.stream().noneMatch(names::contains)) {
            throw new UnusableFileException(file + ": the header needs at least one of "
                    + String.join(", ", oneOf.stream().sorted().toList()));
        }
        List<String> unknown = new ArrayList<>();
        for (String c : columns) {
            if (!known.contains(columnName(c))) {
                unknown.add(c);
            }
        }
        return new Header(columns, unknown);
    }

    /** SHA-256 of the file's bytes: part of an import's identity. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
