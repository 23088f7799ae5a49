package io.interlock.command.instance;

/** The payload of an instance task's durable timeout: which task, and how long it was given. */
public record InstanceTaskDeadline(String taskId, String timeout) {
}
