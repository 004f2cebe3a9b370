/**
 * Writing a file the runner produces so that whoever reads it sees the old file or the new one,
 * never half of one, and an in-place update treats the existing file as its owner left it:
 *
 * - through a symlink: the link's real target is written (realpath) and the link stays a link;
 * - the existing file's permission bits are kept (a 0600 workbook stays 0600), and its owner and
 *   group too when the runner runs as root (fchown);
 * - a read-only target (no write bit, or no write permission for this user) is refused with a clear
 *   message unless the caller allows it (`imc report --force`);
 * - the new bytes go to a temporary file beside the target (created 0600, so nobody reads them while
 *   they are written), which is fsynced, given the final mode and owner, renamed over the target,
 *   and the directory fsynced: after a crash there is the old file or the new one;
 * - the temporary file is removed on failure, and on SIGINT or SIGTERM during the write
 *   (writeFileSafely: the handlers live only as long as the write, then the signal's default
 *   action is re-raised so the process still ends as the signal intends);
 * - a lock file beside the real target (`.book.xlsx.imc-lock`, holding the pid) makes a second
 *   concurrent run on the same file fail at once instead of both "succeeding" with one set of tabs
 *   lost; a lock whose pid is no longer running is taken over with a note.
 */

import { closeSync, constants, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync, accessSync, type Stats } from "node:fs";
import { open as openAsync, rename as renameAsync } from "node:fs/promises";
import path from "node:path";
import { CliError } from "./errors";

/** Options of a write. */
export interface SafeWriteOptions {
  /** Write even when the target is read-only (imc report --force). */
  readonly allowReadOnly?: boolean;
  /** How the user lifts the read-only refusal, in the command's terms (default: make it writable). */
  readonly readOnlyFix?: string;
}

/**
 * Test-only: when set to a number of milliseconds, writeFileSafely prints
 * `imc-test: temporary file written` on stderr after the temporary file is complete and waits that
 * long before renaming it, so a test can signal the process mid-write. Never set in normal use.
 */
export const TEST_PAUSE_ENV = "IMC_TEST_PAUSE_AFTER_TEMP_MS";

const MAX_LINK_DEPTH = 40;

/**
 * The file a write to `file` really changes: the end of its symlink chain (even a dangling one), or
 * `file` itself.
 */
export function realTarget(file: string): string {
  let current = path.resolve(file);
  for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
    let stats: Stats;
    try {
      stats = lstatSync(current);
    } catch {
      // Not there (yet): the parent folders may still be links, which is fine for a rename.
      return current;
    }
    if (!stats.isSymbolicLink()) return current;
    try {
      return realpathSync(current);
    } catch {
      // A dangling link: follow it by hand, so that the write creates its target.
      current = path.resolve(path.dirname(current), readlinkSync(current));
    }
  }
  throw new CliError(`cannot write ${file}: too many levels of symbolic links`);
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

function isReadOnly(file: string, stats: Stats): boolean {
  if ((stats.mode & 0o222) === 0) return true;
  try {
    accessSync(file, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/**
 * Refuses to write over a read-only file (checked early, before any work, by `imc report`).
 *
 * @param file the file to be written (a symlink is followed).
 * @param shown the file's name as the user gave it, for messages.
 * @throws CliError `book.xlsx is read-only; add --force to write it anyway` unless allowReadOnly.
 */
export function assertWritable(file: string, shown: string, options: SafeWriteOptions = {}): void {
  const target = realTarget(file);
  const stats = statOrNull(target);
  if (stats === null || options.allowReadOnly) return;
  if (stats.isFile() && isReadOnly(target, stats)) {
    throw new CliError(`${shown} is read-only; ${options.readOnlyFix ?? "make it writable first"}`);
  }
}

/** What a write of `file` will do: the real target, its current state and the temporary file. */
interface WritePlan {
  readonly target: string;
  readonly existing: Stats | null;
  readonly temporary: string;
}

function planWrite(file: string, shown: string, options: SafeWriteOptions): WritePlan {
  assertWritable(file, shown, options);
  const target = realTarget(file);
  const existing = statOrNull(target);
  if (existing?.isDirectory()) throw new CliError(`cannot write ${shown}: it is a directory`);
  return { target, existing, temporary: path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`) };
}

/** Gives the finished temporary file the target's owner (root only) and mode, before the rename. */
function keepOwnerAndMode(fd: number, existing: Stats | null): void {
  if (existing === null) return;
  // chown first: changing the owner clears set-id bits that the chmod then restores.
  if (process.getuid?.() === 0) fchownSync(fd, existing.uid, existing.gid);
  fchmodSync(fd, existing.mode & 0o7777);
}

function fsyncDirectory(directory: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(directory, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function writeError(error: unknown, shown: string): CliError {
  if (error instanceof CliError) return error;
  const code = (error as { code?: string }).code;
  const reason =
    code === "ENOENT" ? "no such directory" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a directory" : code === "ENOSPC" ? "the disk is full" : (error as Error).message;
  return new CliError(`cannot write ${shown}: ${reason}`);
}

function newFileMode(existing: Stats | null): number {
  // A new file gets the usual 0666 less the umask (applied by open); an existing one is replaced
  // by a temporary file that only we can read until it has the old file's mode.
  return existing === null ? 0o666 : 0o600;
}

/**
 * Replaces `file` whole or not at all (synchronously), keeping its mode, owner (as root) and
 * symlink, fsyncing before and after the rename.
 *
 * @param file the file to write (a symlink is written through).
 * @param bytes the new content.
 * @param shown the file's name as the user gave it, for messages.
 * @throws CliError when the file is read-only (unless allowed) or cannot be written.
 */
export function writeFileAtomically(file: string, bytes: Uint8Array | string, shown: string, options: SafeWriteOptions = {}): void {
  const plan = planWrite(file, shown, options);
  let fd: number | null = null;
  try {
    fd = openSync(plan.temporary, "wx", newFileMode(plan.existing));
    const data = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    keepOwnerAndMode(fd, plan.existing);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(plan.temporary, plan.target);
    fsyncDirectory(path.dirname(plan.target));
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(plan.temporary, { force: true });
    throw writeError(error, shown);
  }
}

type Cleanup = () => void;
const cleanups = new Set<Cleanup>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // Best effort while the process is being stopped: the other cleanups must still run.
    }
  }
  cleanups.clear();
  for (const name of SIGNALS) process.removeListener(name, onSignal);
  // With our listeners gone the signal's default action applies again: the process ends as
  // the signal intends (exit status 128 + signal number, as the shell expects).
  process.kill(process.pid, signal);
}

/**
 * Runs `cleanup` if the process gets SIGINT or SIGTERM before the returned function is called (the
 * signal is then re-raised with its default action). The handlers exist only while a cleanup is
 * registered.
 *
 * @returns a function that unregisters the cleanup (and the handlers when it was the last).
 */
export function cleanupOnSignal(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) for (const name of SIGNALS) process.on(name, onSignal);
  cleanups.add(cleanup);
  return () => {
    if (!cleanups.delete(cleanup)) return;
    if (cleanups.size === 0) for (const name of SIGNALS) process.removeListener(name, onSignal);
  };
}

/**
 * Replaces `file` whole or not at all, as writeFileAtomically does, with the temporary file removed
 * when SIGINT or SIGTERM arrives during the write (the write yields to the event loop, so the
 * signal is handled as soon as it arrives).
 *
 * @throws CliError when the file is read-only (unless allowed) or cannot be written.
 */
export async function writeFileSafely(file: string, bytes: Uint8Array | string, shown: string, options: SafeWriteOptions = {}): Promise<void> {
  const plan = planWrite(file, shown, options);
  const removeTemporary = () => rmSync(plan.temporary, { force: true });
  const unregister = cleanupOnSignal(removeTemporary);
  try {
    const handle = await openAsync(plan.temporary, "wx", newFileMode(plan.existing));
    try {
      await handle.writeFile(bytes);
      keepOwnerAndMode(handle.fd, plan.existing);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const pause = Number(process.env[TEST_PAUSE_ENV] ?? "");
    if (pause > 0) {
      process.stderr.write("imc-test: temporary file written\n");
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    await renameAsync(plan.temporary, plan.target);
    fsyncDirectory(path.dirname(plan.target));
  } catch (error) {
    removeTemporary();
    throw writeError(error, shown);
  } finally {
    unregister();
  }
}

/** A held lock; release() removes it (once). */
export interface WriteLock {
  readonly file: string;
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: string }).code === "EPERM";
  }
}

/** A lock file younger than this with no pid in it yet is being created right now. */
const LOCK_CREATION_GRACE_MS = 10_000;

/**
 * Takes the update lock of `file` (a symlink is followed): an exclusively created
 * `.NAME.imc-lock` beside the real target, holding this process's pid.
 *
 * @param file the file about to be updated.
 * @param shown the file's name as the user gave it, for messages.
 * @param note where a note goes when a stale lock (its pid no longer running) is taken over.
 * @returns the lock; call release() in a finally.
 * @throws CliError `book.xlsx is being updated by another imc run (pid 1234); try again when it has
 *   finished` when another live run holds it.
 */
export function acquireWriteLock(file: string, shown: string, note: (line: string) => void): WriteLock {
  const target = realTarget(file);
  const lockFile = path.join(path.dirname(target), `.${path.basename(target)}.imc-lock`);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockFile, "wx", 0o644);
    } catch (error) {
      const code = (error as { code?: string }).code;
      // No folder to lock in: nothing to protect, and the read or the write says what is wrong.
      if (code === "ENOENT") return { file: lockFile, release: () => undefined };
      if (code !== "EEXIST") throw writeError(error, shown);
      let text = "";
      let age = 0;
      try {
        text = readFileSync(lockFile, "utf8").trim();
        age = Date.now() - statSync(lockFile).mtimeMs;
      } catch {
        continue; // released meanwhile: try again
      }
      const pid = /^\d+$/.test(text) ? Number(text) : null;
      if (pid === null && age < LOCK_CREATION_GRACE_MS) {
        throw new CliError(`${shown} is being updated by another imc run; try again when it has finished`);
      }
      if (pid !== null && isRunning(pid)) {
        throw new CliError(`${shown} is being updated by another imc run (pid ${pid}); try again when it has finished`);
      }
      note(`imc: note: ${shown} had a lock left by an imc run that is no longer running${pid === null ? "" : ` (pid ${pid})`}; taking it over\n`);
      rmSync(lockFile, { force: true });
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    const unregister = cleanupOnSignal(() => rmSync(lockFile, { force: true }));
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      unregister();
      rmSync(lockFile, { force: true });
    };
    return { file: lockFile, release };
  }
  throw new CliError(`${shown} is being updated by another imc run; try again when it has finished`);
}
