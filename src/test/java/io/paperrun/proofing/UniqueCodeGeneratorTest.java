package io.paperrun.proofing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generated unique codes (pipeline-rules §3): the prefix, then random characters without look-alikes. */
class UniqueCodeGeneratorTest {

    @Test
    void aCodeIsThePrefixThenLengthCharactersOfTheAlphabet() {
        UniqueCodeGenerator generator = new UniqueCodeGenerator("WB-", 8);
        for (int i = 0; i < 1000; i++) {
            assertThat(generator.next()).matches("WB-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}");
        }
    }

    @Test
    void theAlphabetHasNoLookAlikes() {
        assertThat(UniqueCodeGenerator.ALPHABET)
                .doesNotContain("0", "O", "1", "I")
                .hasSize(32);
    }

    @Test
    void codesDifferFromDrawToDraw() {
        UniqueCodeGenerator generator = new UniqueCodeGenerator("", 8);
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            codes.add(generator.next());
        }
        assertThat(codes).hasSize(10_000);
    }

    @Test
    void aSeededGeneratorRepeatsItself() {
        assertThat(new UniqueCodeGenerator("X", 4, new Random(7)).next())
                .isEqualTo(new UniqueCodeGenerator("X", 4, new Random(7)).next());
    }

    @Test
    void aCodeNeedsARandomPart() {
        assertThatThrownBy(() -> new UniqueCodeGenerator("X", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProofKeyNamesItsFilesSafely() {
        assertThat(new ProofKey("acme", "winback-2024", 12).path()).isEqualTo("acme/winback-2024/12");
        assertThat(new ProofKey("a/b", "..", 1).path()).isEqualTo("a_b/_../1");
    }
}
