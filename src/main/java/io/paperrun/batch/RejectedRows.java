package io.paperrun.batch;

import java.sql.Types;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Input rows that were refused, with where they came from and why. */
@Repository
public class RejectedRows {

    private final JdbcClient jdbc;

    public RejectedRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record RejectedRow(String source, long line, String recordId, String reason) {
        @Override
        public String toString() {
            return source + ":" + line + ": " + reason;
        }
    }

    /** Records the rejections of one chunk, in the chunk's transaction; a row recorded before is left as it was. */
    public <T> int record(
            long jobInstanceId, long jobExecutionId, String source, List<ImportLine.Rejected<T>> rejected) {
        if (rejected.isEmpty()) {
            return 0;
        }
        int n = rejected.size();
        long[] lines = new long[n];
        String[] ids = new String[n];
        String[] reasons = new String[n];
        String[] raws = new String[n];
        for (int i = 0; i < n; i++) {
            ImportLine.Rejected<T> r = rejected.get(i);
            lines[i] = r.line();
            ids[i] = r.recordId();
            reasons[i] = r.reason();
            raws[i] = r.raw();
        }
        return jdbc.sql("""
                INSERT INTO rejected_row (job_instance_id, job_execution_id, source, line, record_id, reason, raw)
                SELECT :instance, :execution, :source, t.line, t.record_id, t.reason, t.raw
                FROM unnest(:lines::bigint[], :ids::text[], :reasons::text[], :raws::text[])
                     AS t(line, record_id, reason, raw)
                ON CONFLICT (job_instance_id, source, line) DO NOTHING
                """)
                .param("instance", jobInstanceId)
                .param("execution", jobExecutionId)
                .param("source", source)
                .param("lines", lines)
                .param("ids", ids)
                .param("reasons", reasons)
                .param("raws", raws)
                .update();
    }

    public long count(long jobInstanceId) {
        return jdbc.sql("SELECT count(*) FROM rejected_row WHERE job_instance_id = ?")
                .param(jobInstanceId)
                .query(Long.class)
                .single();
    }

    /**
     * Every rejected row of the job instance, by source and line, a page at a time (memory stays bounded
     * whatever the number: a file can reject all its rows).
     */
    public void forEach(long jobInstanceId, Consumer<RejectedRow> each) {
        RejectedRow last = null;
        while (true) {
            List<RejectedRow> page = jdbc.sql("SELECT source, line, record_id, reason FROM rejected_row "
                            + "WHERE job_instance_id = :instance AND (CAST(:source AS text) IS NULL OR (source, line) > "
                            + "(:source, :line)) ORDER BY source, line LIMIT " + PAGE)
                    .param("instance", jobInstanceId)
                    .param("source", last == null ? null : last.source(), Types.VARCHAR)
                    .param("line", last == null ? 0L : last.line())
                    .query((rs, i) -> new RejectedRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                    .list();
            page.forEach(each);
            if (page.size() < PAGE) {
                return;
            }
            last = page.get(page.size() - 1);
        }
    }

    private static final int PAGE = 1000;
}
