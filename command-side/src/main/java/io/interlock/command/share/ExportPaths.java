package io.interlock.command.share;

/**
 * Which share manages each export path. A managed share claims its path in the same transaction
 * as its creation, so two shares can never manage one path, whatever replica each was sent to.
 */
public interface ExportPaths {

    /**
     * Claims {@code path} for {@code shareId} unless another share holds it: true when
     * {@code shareId} holds it now. Who else holds it is not told, so no answer can name another
     * tenant's share.
     */
    boolean claim(String path, String shareId);

    /** Gives the path back, if {@code shareId} holds it. */
    void release(String path, String shareId);
}
