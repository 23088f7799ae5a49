package io.interlock.command.volume;

/**
 * The answer to {@link VolumeCommands.AcquireRepairLock}: {@code taken} is true when this command
 * took the lock, false when the holder already had it. Only a command that took the lock may give
 * it back when the work it guarded could not start.
 */
public record LockAnswer(VolumeStatus volume, boolean taken) {
}
