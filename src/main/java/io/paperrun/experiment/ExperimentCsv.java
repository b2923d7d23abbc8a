package io.paperrun.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import tools.jackson.databind.JsonNode;

/**
 * {@code report experiment --format csv}: the JSON document's fields as one header row and one row of values,
 * nested names joined by {@code _} ({@code experiment_recipients}), an interval's ends as {@code _low} and
 * {@code _high}; an undefined value is empty.
 */
public final class ExperimentCsv {

    private ExperimentCsv() {}

    /** The columns and values, in the JSON document's order. */
    public static Map<String, String> row(ExperimentReport report) {
        Map<String, String> row = new LinkedHashMap<>();
        flatten("", ExperimentJson.of(report), row);
        return row;
    }

    public static void write(ExperimentReport report, Writer out) {
        Map<String, String> row = row(report);
        try {
            CSVPrinter printer = new CSVPrinter(
                    out,
                    CSVFormat.DEFAULT
                            .builder()
                            .setHeader(row.keySet().toArray(String[]::new))
                            .setRecordSeparator("\n")
                            .get());
            printer.printRecord(new ArrayList<>(row.values()));
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> row) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(name + "_", value, row);
            } else if (value.isArray() || isInterval(name)) {
                row.put(name + "_low", value.isArray() ? value.get(0).asString() : "");
                row.put(name + "_high", value.isArray() ? value.get(1).asString() : "");
            } else {
                row.put(name, value.isNull() ? "" : value.asString());
            }
        }
    }

    private static boolean isInterval(String name) {
        return name.equals("lift_interval_absolute") || name.equals("lift_interval_relative");
    }
}
