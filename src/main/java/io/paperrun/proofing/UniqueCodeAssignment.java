package io.paperrun.proofing;

import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.PostcardSettings;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Gives the recipients of a campaign that uses unique codes, and has none yet, their code before their proof is
 * rendered (pipeline-rules §3): a generated one ({@code unique_codes.generate}), unique within the organization, or
 * the next unused one of the campaign's pool. In the caller's transaction, set-based per chunk; a recipient keeps
 * the code it has, so a restart never gives a second one.
 */
@Component
public class UniqueCodeAssignment {

    /** How many times a chunk's colliding generated codes are drawn again before the chunk fails. */
    static final int MAX_DRAWS = 20;

    private final DiscountCodePool pool;

    public UniqueCodeAssignment(DiscountCodePool pool) {
        this.pool = pool;
    }

    /** Whether the campaign's codes come from its pool (it uses unique codes and does not generate them). */
    public static boolean drawsFromPool(Campaign campaign) {
        PostcardSettings.UniqueCodes codes = campaign.postcards().uniqueCodes();
        return campaign.usesUniqueCodes() && (codes == null || !codes.generate());
    }

    /**
     * Gives a code to each of {@code recipientIds} (of {@code campaign}) without one.
     *
     * @return the recipients that needed a code from the pool and found none left
     */
    public Set<Long> assign(Campaign campaign, List<Long> recipientIds, Set<Long> withoutCode) {
        if (!campaign.usesUniqueCodes() || withoutCode.isEmpty()) {
            return Set.of();
        }
        List<Long> wanting = recipientIds.stream().filter(withoutCode::contains).toList();
        if (drawsFromPool(campaign)) {
            Map<Long, String> given = pool.claim(campaign.id(), wanting);
            Set<Long> none = new HashSet<>(wanting);
            none.removeAll(given.keySet());
            return none;
        }
        generate(campaign, wanting);
        return Set.of();
    }

    private void generate(Campaign campaign, List<Long> wanting) {
        PostcardSettings.UniqueCodes settings = campaign.postcards().uniqueCodes();
        UniqueCodeGenerator generator = new UniqueCodeGenerator(settings.prefix(), settings.length());
        Map<Long, String> codes = new HashMap<>();
        Set<String> drawn = new HashSet<>();
        List<Long> toDraw = wanting;
        for (int draw = 1; !toDraw.isEmpty(); draw++) {
            if (draw > MAX_DRAWS) {
                throw new IllegalStateException("campaign " + campaign.key() + ": no unused unique code after "
                        + MAX_DRAWS + " draws; unique_codes.length " + settings.length() + " is too short");
            }
            Map<String, Long> candidates = new HashMap<>();
            for (long id : toDraw) {
                String code = generator.next();
                String upper = code.toUpperCase(Locale.ROOT);
                if (drawn.add(upper)) {
                    candidates.put(upper, id);
                    codes.put(id, code);
                }
            }
            List<String> taken = pool.taken(campaign.organizationId(), candidates.keySet());
            taken.forEach(code -> codes.remove(candidates.get(code)));
            toDraw = wanting.stream().filter(id -> !codes.containsKey(id)).toList();
        }
        pool.give(codes);
    }
}
