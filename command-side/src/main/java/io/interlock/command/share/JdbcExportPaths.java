package io.interlock.command.share;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The claims live in {@code share_export_path}, keyed by path. The insert joins the command's
 * transaction: a racing claim on another replica waits on the key until the first commits or rolls
 * back, then reads whether it holds it.
 */
@Component
public class JdbcExportPaths implements ExportPaths {

    private final JdbcTemplate jdbc;

    public JdbcExportPaths(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean claim(String path, String shareId) {
        jdbc.update("insert into share_export_path (export_path, share_id) values (?, ?) on conflict do nothing",
                path, shareId);
        return shareId.equals(jdbc.queryForObject("select share_id from share_export_path where export_path = ?",
                String.class, path));
    }

    @Override
    public void release(String path, String shareId) {
        jdbc.update("delete from share_export_path where export_path = ? and share_id = ?", path, shareId);
    }
}
