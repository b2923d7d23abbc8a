package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.PaperRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The product's jar holds the product's classes (target/classes, which Spring Boot's repackage puts in it) and
 * no benchmark: the benchmark compiles from src/bench/java with the tests, onto their class path only.
 */
class ProductJarTest {

    private static final String BENCH_PACKAGE = "io/paperrun/bench/";

    @Test
    void theProductsClassesHoldNoBenchmarkClass() throws Exception {
        Path product = location(PaperRun.class);
        List<String> productClasses = classNames(product);
        assertThat(productClasses)
                .as(product.toString())
                .contains("io/paperrun/PaperRun.class")
                .noneMatch(name -> name.startsWith(BENCH_PACKAGE));
    }

    @Test
    void theBenchmarkIsOnTheTestsClassPathApartFromTheProduct() throws Exception {
        Path bench = location(AttributionBenchmark.class);
        assertThat(bench).isNotEqualTo(location(PaperRun.class));
        assertThat(classNames(bench))
                .contains(
                        BENCH_PACKAGE + "AttributionBenchmark.class",
                        BENCH_PACKAGE + "SyntheticMerchant.class",
                        BENCH_PACKAGE + "ProductProcess.class");
    }

    @Test
    void noProductSourceRefersToTheBenchmark() throws Exception {
        try (Stream<Path> sources = Files.walk(Path.of("src", "main"))) {
            List<Path> referring = sources.filter(Files::isRegularFile)
                    .filter(file -> read(file).contains("io.paperrun.bench"))
                    .toList();
            assertThat(referring).isEmpty();
        }
    }

    /** The directory or jar a class was loaded from. */
    private static Path location(Class<?> type) throws Exception {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return Path.of(source.getLocation().toURI());
    }

    /** The class files of a directory or of a jar (a Spring Boot jar's under BOOT-INF/classes), by path. */
    private static List<String> classNames(Path location) throws Exception {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                return files.filter(f -> f.toString().endsWith(".class"))
                        .map(f -> location.relativize(f).toString().replace('\\', '/'))
                        .toList();
            }
        }
        try (ZipFile jar = new ZipFile(location.toFile())) {
            return jar.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> n.startsWith("BOOT-INF/classes/") ? n.substring("BOOT-INF/classes/".length()) : n)
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return ""; // not text: a binary resource names no package
        }
    }
}
