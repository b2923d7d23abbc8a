package io.paperrun.recipient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** pipeline-rules.md §1.3, the holdout assignment, as a pure function. */
class HoldoutAssignmentTest {

    @Test
    void theDrawIsTheFirstEightBytesOfTheSha256ReadUnsignedModTenThousand() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest("winback-2024:ann@example.com".getBytes(StandardCharsets.UTF_8));
        long h = ByteBuffer.wrap(digest, 0, 8).getLong();
        int expected = new java.math.BigInteger(Long.toUnsignedString(h))
                .mod(java.math.BigInteger.valueOf(10_000))
                .intValueExact();
        assertThat(HoldoutAssignment.draw("winback-2024", "ann@example.com")).isEqualTo(expected);
    }

    @Test
    void theIdentityIsTheEmailTrimmedAndLowerCaseElseTheExternalId() {
        assertThat(HoldoutAssignment.identity(" Ann@Example.COM ", "wb-1")).isEqualTo("ann@example.com");
        assertThat(HoldoutAssignment.identity(null, "wb-1")).isEqualTo("wb-1");
        assertThat(HoldoutAssignment.identity("  ", null)).isNull();
    }

    @Test
    void aRecipientIsHeldOutIffItsDrawIsBelowThePercentageTimesOneHundred() {
        assertThat(HoldoutAssignment.inShare(999, new BigDecimal("10"))).isTrue();
        assertThat(HoldoutAssignment.inShare(1000, new BigDecimal("10"))).isFalse();
        assertThat(HoldoutAssignment.inShare(1049, new BigDecimal("10.5"))).isTrue();
        assertThat(HoldoutAssignment.inShare(1050, new BigDecimal("10.50"))).isFalse();
        assertThat(HoldoutAssignment.inShare(0, BigDecimal.ZERO)).isFalse();
        assertThat(HoldoutAssignment.inShare(9999, new BigDecimal("100"))).isTrue();
    }

    @Test
    void overOneHundredThousandPeopleTheShareIsWithinHalfAPointOfThePercentage() {
        for (String percentage : new String[] {"5", "10", "12.5", "50"}) {
            int held = 0;
            for (int i = 0; i < 100_000; i++) {
                if (HoldoutAssignment.heldOut(
                        "spring", "person" + i + "@example.com", new BigDecimal(percentage), null, 0)) {
                    held++;
                }
            }
            assertThat(held / 1000.0).as(percentage + "%").isCloseTo(Double.parseDouble(percentage), within(0.5));
        }
    }

    @Test
    void noOneIsHeldOutOnceTheCampaignHasItsMaximum() {
        assertThat(HoldoutAssignment.heldOut("spring", "x", new BigDecimal("100"), 3, 2))
                .isTrue();
        assertThat(HoldoutAssignment.heldOut("spring", "x", new BigDecimal("100"), 3, 3))
                .isFalse();
    }

    @Test
    void theSamePersonIsHeldOutInOneCampaignAndMayNotBeInAnother() {
        int a = HoldoutAssignment.draw("a", "p@example.com");
        assertThat(HoldoutAssignment.draw("a", "p@example.com")).isEqualTo(a);
        long differ = java.util.stream.IntStream.range(0, 100)
                .filter(i -> HoldoutAssignment.draw("a", "p" + i) != HoldoutAssignment.draw("b", "p" + i))
                .count();
        assertThat(differ).isGreaterThan(90);
    }
}
