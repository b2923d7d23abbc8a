package io.paperrun.batch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * A chunk's new rows for one table, written with {@code COPY table (columns) FROM STDIN} in PostgreSQL's binary
 * format (which it stores without parsing text), in one round trip on the connection of the current transaction.
 * <p>
 * Each value must be of its column's type exactly ({@link #number} for {@code bigint}, {@link #integer} for
 * {@code integer}, ...): PostgreSQL refuses a binary value of another type rather than converting it. Values
 * are appended field by field ({@code null} is SQL NULL) and each row is ended with {@link #end()}.
 */
public final class CopyRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps, in Unix seconds. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private static final int TEXT_OID = 25;
    private static final short NUMERIC_POSITIVE = 0x0000;
    private static final short NUMERIC_NEGATIVE = 0x4000;
    private static final int[] POWERS = {1, 10, 100, 1000};

    private final String table;
    private byte[] buffer = new byte[1 << 16];
    private int length;
    /** Where the current row's field count is, or -1 between rows. */
    private int rowStart = -1;

    private int fields;
    private int count;

    /** Rows for {@code table(columns)}, the columns named as in SQL: {@code "customer_order (id, email)"}. */
    public CopyRows(String table) {
        this.table = table;
        put(SIGNATURE);
        putInt(0); // flags: no OIDs
        putInt(0); // no header extension
    }

    /** A {@code text} value. */
    public CopyRows text(String value) {
        if (value == null) {
            return nullField();
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        field(bytes.length);
        put(bytes);
        return this;
    }

    /** A {@code bigint} value. */
    public CopyRows number(long value) {
        field(8);
        putLong(value);
        return this;
    }

    /** A {@code bigint} value or NULL. */
    public CopyRows number(Long value) {
        return value == null ? nullField() : number(value.longValue());
    }

    /** An {@code integer} value. */
    public CopyRows integer(int value) {
        field(4);
        putInt(value);
        return this;
    }

    /**
     * A {@code numeric} value: sign, weight and scale, then its digits in base 10,000 with the decimal point
     * between two of them (PostgreSQL's own form). A column's declared precision and scale then apply as to a
     * text value: {@code numeric(14,2)} rounds 1.005 to 1.01.
     */
    public CopyRows decimal(BigDecimal value) {
        if (value == null) {
            return nullField();
        }
        BigInteger unscaled = value.unscaledValue();
        int scale = value.scale();
        if (scale < 0) {
            unscaled = unscaled.multiply(BigInteger.TEN.pow(-scale));
            scale = 0;
        }
        String digits = unscaled.abs().toString();
        int integerDigits = digits.length() - scale; // zero or less: the value is below 1
        int integerGroups = integerDigits > 0 ? (integerDigits + 3) / 4 : 0;
        short[] groups = new short[integerGroups + (scale + 3) / 4];
        for (int p = 0; p < digits.length(); p++) {
            int exponent = integerDigits - 1 - p; // of this digit's power of ten
            int group;
            int power;
            if (exponent >= 0) {
                group = integerGroups - 1 - exponent / 4;
                power = exponent % 4;
            } else {
                int fractionDigit = -exponent - 1;
                group = integerGroups + fractionDigit / 4;
                power = 3 - fractionDigit % 4;
            }
            groups[group] += (short) ((digits.charAt(p) - '0') * POWERS[power]);
        }
        int first = 0;
        while (first < groups.length && groups[first] == 0) {
            first++;
        }
        int last = groups.length;
        while (last > first && groups[last - 1] == 0) {
            last--;
        }
        int n = last - first;
        short weight = (short) (n == 0 ? 0 : integerGroups - 1 - first);
        short sign = n == 0 || unscaled.signum() >= 0 ? NUMERIC_POSITIVE : NUMERIC_NEGATIVE;
        field(8 + 2 * n);
        putShort((short) n);
        putShort(weight);
        putShort(sign);
        putShort((short) scale);
        for (int i = first; i < last; i++) {
            putShort(groups[i]);
        }
        return this;
    }

    /**
     * An instant, for a {@code timestamptz} column: microseconds since 2000-01-01 UTC, a fraction of a
     * microsecond truncated ({@link StorableValues#asStored}).
     */
    public CopyRows instant(Instant value) {
        if (value == null) {
            return nullField();
        }
        Instant stored = StorableValues.asStored(value);
        long micros = Math.multiplyExact(stored.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L);
        field(8);
        putLong(micros + stored.getNano() / 1000);
        return this;
    }

    /** A {@code boolean} value. */
    public CopyRows bool(boolean value) {
        field(1);
        ensure(1);
        buffer[length++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** A {@code text[]} value; an empty list is the empty array, a null element is NULL. */
    public CopyRows textArray(List<String> values) {
        field(0); // its length, set below
        int sizeAt = length - 4;
        int start = length;
        boolean nulls = false;
        for (String value : values) { // not contains(null): List.of refuses to be asked
            nulls |= value == null;
        }
        putInt(values.isEmpty() ? 0 : 1); // dimensions
        putInt(nulls ? 1 : 0);
        putInt(TEXT_OID);
        if (!values.isEmpty()) {
            putInt(values.size());
            putInt(1); // lower bound
            for (String value : values) {
                if (value == null) {
                    putInt(-1);
                } else {
                    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                    putInt(bytes.length);
                    put(bytes);
                }
            }
        }
        setInt(sizeAt, length - start);
        return this;
    }

    /** Ends the current row. */
    public CopyRows end() {
        if (rowStart < 0) {
            throw new IllegalStateException("a row of " + table + " with no fields");
        }
        buffer[rowStart] = (byte) (fields >>> 8);
        buffer[rowStart + 1] = (byte) fields;
        rowStart = -1;
        count++;
        return this;
    }

    public int size() {
        return count;
    }

    /**
     * Copies the rows into the table on the connection of the transaction in progress (so they commit or roll
     * back with the chunk), and returns how many PostgreSQL stored. Nothing is sent when there are no rows.
     */
    public long copy(DataSource dataSource) {
        if (rowStart >= 0) {
            throw new IllegalStateException("the last row of " + table + " was not ended");
        }
        if (count == 0) {
            return 0;
        }
        ensure(2);
        int end = length;
        buffer[end] = (byte) 0xFF; // the trailer: a field count of -1
        buffer[end + 1] = (byte) 0xFF;
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            CopyIn in = connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY " + table + " FROM STDIN (FORMAT binary)");
            try {
                in.writeToCopy(buffer, 0, end + 2);
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } catch (SQLException e) {
            String task = "COPY " + table;
            DataAccessException translated = new SQLStateSQLExceptionTranslator().translate(task, null, e);
            throw translated != null ? translated : new UncategorizedSQLException(task, null, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private CopyRows nullField() {
        field(-1);
        return this;
    }

    /** Starts a field of {@code size} bytes (-1: NULL), and the row first if none is open. */
    private void field(int size) {
        if (rowStart < 0) {
            rowStart = length;
            fields = 0;
            putShort((short) 0); // the row's field count, set by end()
        }
        fields++;
        putInt(size);
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void putShort(short value) {
        ensure(2);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putInt(int value) {
        ensure(4);
        setInt(length, value);
        length += 4;
    }

    private void setInt(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }
}
