package io.paperrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** What every HTML report must be: one HTML5 file that loads nothing, so it works offline and prints the same. */
final class SelfContainedPage {

    private SelfContainedPage() {}

    /** Parses {@code html} as a browser would, after checking it is self-contained. */
    static Document parse(String html) {
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).doesNotContain("NaN", "Infinity", "http:", "https:", "url(", "@import");
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("head > meta[charset]").attr("charset")).isEqualToIgnoringCase("utf-8");
        assertThat(doc.select("head > style")).hasSize(1);
        assertThat(doc.select("script, link, img, image, iframe, object, embed, use, audio, video, source"))
                .isEmpty();
        assertThat(doc.select("[src], [href], [xlink:href], [srcset], [style*=url]"))
                .isEmpty();
        for (Element svg : doc.select("svg")) {
            assertThat(svg.hasClass("chart")).isTrue();
            assertThat(svg.child(0).tagName()).isEqualTo("title");
            assertThat(svg.child(0).text()).isNotBlank();
        }
        return doc;
    }

    /** The chart of a section. */
    static Element chart(Document doc, String sectionId) {
        Element section = doc.getElementById(sectionId);
        assertThat(section).as(sectionId).isNotNull();
        assertThat(section.tagName()).isEqualTo("section");
        assertThat(section.select("svg.chart")).as(sectionId).hasSize(1);
        return section.selectFirst("svg.chart");
    }

    /** The value cell of the table row whose heading is {@code heading}, in a section. */
    static String value(Document doc, String sectionId, String heading) {
        Element row = doc.getElementById(sectionId).select("tbody tr").stream()
                .filter(tr -> tr.child(0).text().equals(heading))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + heading + " in " + sectionId));
        return row.child(1).text();
    }
}
