package io.interlock.command;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.interlock.archfixture.ControllerThatLoadsAnAggregate;
import io.interlock.command.archfixture.ResourceThatReachesIntoInstance;
import io.interlock.command.instance.Instance;
import io.interlock.edge.archfixture.EdgeThatKnowsTheCommandSide;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The boundaries and STYLE "Tests", for every resource package there is or will be.
 * Resource packages are found by name, so share, node, volume and the rest are covered the day
 * they appear.
 */
@AnalyzeClasses(packages = "io.interlock", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Packages under io.interlock.command that every resource may use; all the others are resources. */
    private static final Set<String> SHARED_COMMAND_PACKAGES = Set.of("gateway", "process", "store", "metrics");

    @ArchTest
    static final ArchRule commandSideNeverUsesTheQuerySide = noClasses()
            .that().resideInAPackage("io.interlock.command..")
            .should().dependOnClassesThat().resideInAPackage("io.interlock.query..")
            .because("the two sides share nothing but shared-events and the event store");

    @ArchTest
    static final ArchRule resourcePackagesDoNotDependOnEachOther = slices()
            .assignedFrom(new ResourcePackages())
            .should().notDependOnEachOther()
            .because("resources talk only through shared-events, the gateway and the sagas in process/");

    @ArchTest
    static final ArchRule controllersNeverTouchAggregates = noClasses()
            .that().areAnnotatedWith(RestController.class)
            .should().dependOnClassesThat().areAnnotatedWith(Aggregate.class)
            .because("a controller only sends commands; Axon alone loads and changes an aggregate");

    // Everything of ours outside command, query and the HTTP edge is shared-events, whatever resource it serves.
    @ArchTest
    static final ArchRule sharedEventsDependOnNoFramework = noClasses()
            .that().resideInAPackage("io.interlock..")
            .and().resideOutsideOfPackages("io.interlock.command..", "io.interlock.query..", "io.interlock.edge..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "org.axonframework..", "io.interlock.command..", "io.interlock.query..",
                    "io.interlock.edge..")
            .because("shared-events is the plain-Java language both sides and the audit replay share");

    @ArchTest
    static final ArchRule httpEdgeDependsOnNeitherApp = noClasses()
            .that().resideInAPackage("io.interlock.edge..")
            .should().dependOnClassesThat().resideInAnyPackage("io.interlock.command..", "io.interlock.query..")
            .because("http-edge is what both apps' HTTP edges share: each app depends on it, never the reverse");

    /**
     * The slice rule has only one resource to look at today, so it could pass for the wrong reason;
     * these fixtures (test sources, outside the analysed classes) show each rule catching a breach.
     */
    @Test
    void theRulesCatchWhatTheyGuardAgainst() {
        JavaClasses breaches = new ClassFileImporter().importClasses(
                ResourceThatReachesIntoInstance.class, ControllerThatLoadsAnAggregate.class, Instance.class,
                EdgeThatKnowsTheCommandSide.class);

        assertBreach(resourcePackagesDoNotDependOnEachOther, breaches, "ResourceThatReachesIntoInstance");
        assertBreach(controllersNeverTouchAggregates, breaches, "ControllerThatLoadsAnAggregate");
        assertBreach(httpEdgeDependsOnNeitherApp, breaches, "EdgeThatKnowsTheCommandSide");
    }

    private static void assertBreach(ArchRule rule, JavaClasses classes, String culprit) {
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), rule.getDescription());
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(report.contains(culprit), report);
    }

    /** io.interlock.command.X.. is resource X, unless X is shared plumbing. */
    static final class ResourcePackages implements SliceAssignment {

        private static final String PREFIX = "io.interlock.command.";

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (!name.startsWith(PREFIX)) {
                return SliceIdentifier.ignore();
            }
            String resource = name.substring(PREFIX.length()).split("\\.")[0];
            return SHARED_COMMAND_PACKAGES.contains(resource) ? SliceIdentifier.ignore() : SliceIdentifier.of(resource);
        }

        @Override
        public String getDescription() {
            return "resource packages io.interlock.command.* other than " + SHARED_COMMAND_PACKAGES;
        }
    }
}
