package io.paperrun.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layout rules of {@code ../shared/design.md}, checked on the product's classes. */
class LayoutRulesTest {

    /** The pipeline's stages: packages that own their rules, jobs and the small interfaces providers implement. */
    private static final String[] STAGES = {
        "io.paperrun.organization..",
        "io.paperrun.campaign..",
        "io.paperrun.recipient..",
        "io.paperrun.enrichment..",
        "io.paperrun.proofing..",
        "io.paperrun.mailing..",
        "io.paperrun.order..",
        "io.paperrun.attribution..",
        "io.paperrun.experiment.."
    };

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.paperrun", "db.migration");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.paperrun.(*)..").should().beFreeOfCycles().check(product);
    }

    @Test
    void aStageNeverImportsAProvider() {
        noClasses()
                .that()
                .resideInAnyPackage(STAGES)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.paperrun.integration..")
                .check(product);
    }

    @Test
    void aProviderNeverImportsAJobOrTheCommandLine() {
        noClasses()
                .that()
                .resideInAPackage("io.paperrun.integration..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("JobConfig")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("io.paperrun.cli..")
                .check(product);
    }

    @Test
    void whatEveryJobSharesKnowsNoStageNorProvider() {
        String[] others = new String[STAGES.length + 2];
        System.arraycopy(STAGES, 0, others, 0, STAGES.length);
        others[STAGES.length] = "io.paperrun.integration..";
        others[STAGES.length + 1] = "io.paperrun.cli..";
        noClasses()
                .that()
                .resideInAPackage("io.paperrun.batch..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .check(product);
    }

    @Test
    void theRulesImportNothingFromSpringOrJdbc() {
        ArchRule rule = noClasses()
                .that()
                .haveSimpleNameEndingWith("Rules")
                .or()
                .haveSimpleName("AttributionWindow")
                .or()
                .haveSimpleName("AddressKey")
                .or()
                .haveSimpleName("OrderMatcher")
                .or()
                .haveSimpleName("DiscountCode")
                .or()
                .haveSimpleName("HoldoutAssignment")
                .or()
                .haveSimpleName("ExperimentStatistics")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..");
        rule.check(product);
    }

    @Test
    void theSourcesAStageOwnsSpeakNoSpringBatch() {
        classes()
                .that()
                .haveSimpleNameEndingWith("Source")
                .and()
                .areInterfaces()
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackage("org.springframework..")
                .check(product);
    }
}
