package io.paperrun.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;

/**
 * import orders in two partitions by order id, one line per chunk: every line of a file is handled by
 * exactly one partition, all the lines of one order by the same one, in file order (the later line wins).
 */
@TestPropertySource(properties = {"paperrun.batch.chunk-size=1", "paperrun.batch.partitions=2"})
class OrderSyncPartitionsTest extends DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void eachLineIsHandledOnceAndTheLaterLineOfAnOrderWins() throws IOException {
        StringBuilder csv = new StringBuilder("order_id,created_at,total\n");
        for (int round = 1; round <= 3; round++) {
            for (int i = 1; i <= 20; i++) {
                csv.append("o")
                        .append(i)
                        .append(",2024-01-")
                        .append(String.format("%02d", i))
                        .append("T00:00:00Z,")
                        .append(round * 100 + i)
                        .append(".00\n");
            }
        }
        csv.append("no-time,,1.00\n").append(",2024-01-01T00:00:00Z,1.00\n").append("broken\n");
        Path file = Files.writeString(dir.resolve("orders.csv"), csv);
        applySample();

        String out = run(2, "import", "orders", "--org", "acme", "--file", file.toString())
                .out();
        assertThat(out).contains("60 imported, 3 rejected");
        assertThat(jdbc.sql("SELECT provider_order_id || '=' || total FROM customer_order ORDER BY id")
                        .query(String.class)
                        .list())
                .hasSize(20)
                .allSatisfy(o -> assertThat(o).matches("o(\\d+)=3\\d\\d\\.00"))
                .containsAll(List.of("o1=301.00", "o7=307.00", "o20=320.00"));
        assertThat(jdbc.sql("SELECT line FROM rejected_row ORDER BY line")
                        .query(Long.class)
                        .list())
                .containsExactly(62L, 63L, 64L);
        assertThat(jdbc.sql("SELECT step_name || ' read=' || read_count FROM batch_step_execution "
                                + "WHERE step_name LIKE 'order-sync-orders:%' ORDER BY step_name")
                        .query(String.class)
                        .list())
                .as("both partitions had lines")
                .hasSize(2)
                .noneMatch(s -> s.endsWith(" read=0"));
    }
}
