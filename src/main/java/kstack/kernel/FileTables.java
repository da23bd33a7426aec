package kstack.kernel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kstack.trace.JCell;
import kstack.trace.JList;
import kstack.trace.JMap;
import kstack.trace.Timeline;

/**
 * The open-file side of the kernel (fs/file.c, fs/pipe.c): each task's descriptor table, the
 * struct files, the pipes' buffers, the console's output, and init's control pipe. Stand-ins for
 * structures whose bytes the simulator does not model; every change is recorded on the timeline.
 */
public final class FileTables {
  private final Kernel k;
  final JMap<Long, Pipe> pipes;
  /** Each task's descriptors: an immutable map, shared by a fork's child until either changes it. */
  final JLongMap<Map<Integer, Long>> fdTables;
  final JMap<Long, Files.OpenFile> open;
  /** What was written to /dev/console, line by line. */
  final JList<String> consoleLog;
  private final JCell<Long> initctl;

  /** A pipe: its buffered bytes and how many ends are open. */
  public static final class Pipe {
    final JCell<byte[]> data;
    final long id;

    Pipe(Timeline tl, long id) {
      this.data = new JCell<>(tl, new byte[0]);
      this.id = id;
    }
  }

  FileTables(Kernel k) {
    this.k = k;
    this.pipes = new JMap<>(k.timeline);
    this.fdTables = new JLongMap<>(k.timeline);
    this.open = new JMap<>(k.timeline);
    this.consoleLog = new JList<>(k.timeline);
    this.initctl = new JCell<>(k.timeline, 0L);
  }

  public Map<Integer, Long> fds(long task) {
    Map<Integer, Long> f = fdTables.get(task);
    return f == null ? Map.of() : f;
  }

  public void setFds(long task, Map<Integer, Long> table) {
    fdTables.put(task, Map.copyOf(table));
  }

  public List<String> consoleLines() {
    return consoleLog.snapshot();
  }

  /** The pipe init reads its requests from (the simulator's console to pid 1). */
  public long initctl() {
    return initctl.get();
  }

  void setInitctl(long pipe) {
    initctl.set(pipe);
  }

  /** Writes a request into init's control pipe and wakes init, as typing at a console would. */
  public void requestInit(String line, int cpu) {
    Files.put(k, initctl(), (line + "\n").getBytes(StandardCharsets.US_ASCII));
    k.rq.wakeAll(Files.readQueue(initctl()), cpu, "a request on init's control pipe");
  }
}
