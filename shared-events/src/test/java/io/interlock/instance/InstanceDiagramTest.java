package io.interlock.instance;

import io.interlock.lifecycle.GeneratedDocs;
import io.interlock.lifecycle.StateDiagram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceDiagramTest {

    @Test
    void committedLifecycleDocumentIsWhatTheTableRenders() {
        GeneratedDocs.assertCurrent(InstanceDiagram.PATH, InstanceDiagram.markdown(), getClass());
    }

    @Test
    void diagramDrawsEveryVmState() {
        String mermaid = InstanceDiagram.diagram().mermaid();
        for (VmState state : VmState.values()) {
            assertTrue(mermaid.contains(" " + state.name() + " ") || mermaid.contains(" " + state.name() + "\n"),
                    state + " is missing from the diagram");
        }
    }

    @Test
    void ruleBasedLandingsAreDrawnForEachStartState() {
        // rebuild: STOPPED stays STOPPED, everything else becomes ACTIVE
        assertTrue(label("STOPPED", "STOPPED").contains("rebuild (REBUILDING)"));
        assertTrue(label("ERROR", "ACTIVE").contains("rebuild (REBUILDING)"));
        assertFalse(label("STOPPED", "ACTIVE").contains("rebuild"));
        // confirm-resize returns to whichever state the resize started from
        assertTrue(label("RESIZED", "ACTIVE").contains("confirm-resize (RESIZE_CONFIRMING)"));
        assertTrue(label("RESIZED", "STOPPED").contains("confirm-resize (RESIZE_CONFIRMING)"));
        // shelve lands in either shelved state, depending on the offload flag
        assertTrue(label("PAUSED", "SHELVED").contains("shelve (SHELVING)"));
        assertTrue(label("PAUSED", "SHELVED_OFFLOADED").contains("shelve (SHELVING)"));
    }

    @Test
    void failuresThatMoveVmStateAreMarkedAndTheRestAreLeftOut() {
        assertTrue(label("ACTIVE", "ERROR").startsWith(StateDiagram.FAILURE_MARK + " "),
                "failure edges carry the failure mark");
        assertTrue(label("ACTIVE", "ERROR").contains("rebuild"));
        // a failed stop leaves vmState as it was: no self-loop says "stop failed"
        assertFalse(label("ACTIVE", "ACTIVE").contains("stop"));
        assertFalse(label("ERROR", "ERROR").contains("stop"));
    }

    @Test
    void creationStartsTheDiagramAndDeletedEndsIt() {
        String mermaid = InstanceDiagram.diagram().mermaid();
        assertTrue(mermaid.contains("    [*] --> BUILDING : create\n"), mermaid);
        assertTrue(label("BUILDING", "ACTIVE").contains("create (SPAWNING)"));
        assertTrue(mermaid.contains("    DELETED --> [*]\n"), mermaid);
        assertTrue(mermaid.lines().filter(line -> line.startsWith("    DELETED --> "))
                .allMatch(line -> line.endsWith("[*]")), "nothing starts from DELETED");
    }

    /** The label of the one edge from one state to another; "" when there is no such edge. */
    private static String label(String from, String to) {
        String prefix = "    " + from + " --> " + to + " : ";
        return InstanceDiagram.diagram().mermaid().lines()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()))
                .reduce((a, b) -> {
                    throw new AssertionError("two edges " + from + " --> " + to);
                })
                .orElse("");
    }
}
