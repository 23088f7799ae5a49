package io.interlock.share;

import io.interlock.lifecycle.GeneratedDocs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ShareDiagramTest {

    @Test
    void committedLifecycleDocumentIsWhatTheTableRenders() {
        GeneratedDocs.assertCurrent(ShareDiagram.PATH, ShareDiagram.markdown(), getClass());
    }

    @Test
    void diagramDrawsEveryStatus() {
        String mermaid = ShareDiagram.diagram().mermaid();
        for (ShareStatus status : ShareStatus.values()) {
            assertTrue(mermaid.contains(" " + status.name() + " ") || mermaid.contains(" " + status.name() + "\n"),
                    status + " is missing from the diagram");
        }
    }
}
