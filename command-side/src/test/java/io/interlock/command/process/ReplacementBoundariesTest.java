package io.interlock.command.process;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Volumes and replacement requests meet only in {@code process/} (STYLE: resource packages talk
 * only through shared-events and process/), and the shared language stays free of Spring and Axon.
 */
class ReplacementBoundariesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.interlock");

    @Test
    void volumesDoNotKnowReplacements() {
        noClasses().that().resideInAPackage("io.interlock.command.volume..")
                .should().dependOnClassesThat().resideInAnyPackage("io.interlock.command.replacement..",
                        "io.interlock.command.process..", "io.interlock.replacement..")
                .check(CLASSES);
    }

    @Test
    void replacementsReachVolumesOnlyThroughTheProcess() {
        noClasses().that().resideInAPackage("io.interlock.command.replacement..")
                .should().dependOnClassesThat().resideInAnyPackage("io.interlock.command.volume..")
                .check(CLASSES);
    }

    @Test
    void theSharedLanguageHasNoFrameworks() {
        noClasses().that().resideInAnyPackage("io.interlock.volume..", "io.interlock.replacement..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..")
                .check(CLASSES);
    }
}
