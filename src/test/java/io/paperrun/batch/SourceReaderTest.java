package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** Any paged source read as a step reader: a restart resumes after the last line handed over, mid-page too. */
class SourceReaderTest {

    /** Lines 1..7 in pages of 3; the cursor of a page is its first line's number. */
    private final List<String> fetched = new ArrayList<>();

    private boolean closed;

    private SourceReader<String> reader() {
        return new SourceReader<>(
                "testReader",
                cursor -> {
                    fetched.add(String.valueOf(cursor));
                    int first = cursor == null ? 1 : Integer.parseInt(cursor);
                    List<ImportLine<String>> lines = new ArrayList<>();
                    for (int n = first; n < first + 3 && n <= 7; n++) {
                        lines.add(new ImportLine.Accepted<>(n, "line " + n));
                    }
                    return new Page<>(lines, first + 3 <= 7 ? Integer.toString(first + 3) : null);
                },
                () -> closed = true);
    }

    private static List<String> read(SourceReader<String> reader, int n) {
        List<String> out = new ArrayList<>();
        ImportLine<String> line;
        while (out.size() < n && (line = reader.read()) != null) {
            out.add(((ImportLine.Accepted<String>) line).value());
        }
        return out;
    }

    @Test
    void readsEveryPageInOrder() {
        SourceReader<String> reader = reader();
        reader.open(new ExecutionContext());
        assertThat(read(reader, Integer.MAX_VALUE))
                .containsExactly("line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7");
        reader.close();
        assertThat(closed).isTrue();
        assertThat(fetched).containsExactly("null", "4", "7");
    }

    @Test
    void aRestartResumesMidPageFromThePagesCursorNotFromTheStart() {
        SourceReader<String> first = reader();
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        assertThat(read(first, 5)).endsWith("line 5");
        first.update(context); // a chunk committed after line 5
        read(first, 1); // line 6 read, its chunk not committed
        fetched.clear();

        SourceReader<String> restarted = reader();
        restarted.open(context);
        assertThat(read(restarted, Integer.MAX_VALUE)).containsExactly("line 6", "line 7");
        assertThat(fetched).containsExactly("4", "7");
    }

    @Test
    void aRestartFromAReadersCountOfBeforePagesSkipsThatManyLines() {
        ExecutionContext context = new ExecutionContext();
        context.putInt("testReader.read.count", 4); // as the file readers kept it
        SourceReader<String> reader = reader();
        reader.open(context);
        assertThat(read(reader, Integer.MAX_VALUE)).containsExactly("line 5", "line 6", "line 7");
    }
}
