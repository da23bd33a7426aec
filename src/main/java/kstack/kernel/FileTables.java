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

  /** A pipe: its buffered bytes and how many descriptors hold its write end open. */
  public static final class Pipe {
    final JCell<byte[]> data;
    final long id;
    /**
     * The write end's descriptors over every task's table (a table a fork's child shares counts
     * once per task): the pipe's writers count (fs/pipe.c), kept as tables change so that a read
     * of an empty pipe asks it instead of walking every task's table.
     */
    final JCell<Integer> writers;

    Pipe(Timeline tl, long id) {
      this.data = new JCell<>(tl, new byte[0]);
      this.id = id;
      this.writers = new JCell<>(tl, 0);
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
    Map<Integer, Long> now = Map.copyOf(table);
    countWriters(fds(task), -1);
    countWriters(now, 1);
    fdTables.put(task, now);
  }

  /** copy_process's failure path: the child's table goes. */
  void removeFds(long task) {
    countWriters(fds(task), -1);
    fdTables.remove(task);
  }

  /** Adds delta to the writers of each pipe whose write end the table holds. */
  private void countWriters(Map<Integer, Long> table, int delta) {
    for (Pipe p : writeEnds(table)) {
      p.writers.set(p.writers.get() + delta);
    }
  }

  /** The table {@link #writeEnds} last answered for, and the versions of open and pipes then. */
  private Map<Integer, Long> writeEndsOf;
  private long writeEndsOpen = -1;
  private long writeEndsPipes = -1;
  private List<Pipe> writeEnds = List.of();

  /**
   * The pipe of each write end the table holds, once per descriptor. A fork's child shares its
   * parent's table, so a million forks ask about one table: the answer is kept while neither the
   * open files nor the pipes change (their versions grow with every change, undone ones too).
   */
  private List<Pipe> writeEnds(Map<Integer, Long> table) {
    if (table == writeEndsOf && open.version() == writeEndsOpen
        && pipes.version() == writeEndsPipes) {
      return writeEnds;
    }
    List<Pipe> out = new java.util.ArrayList<>();
    for (long f : table.values()) {
      Files.OpenFile of = open.get(f);
      Pipe p = of != null && of.writeEnd() ? pipes.get(of.pipe()) : null;
      if (p != null) {
        out.add(p);
      }
    }
    writeEndsOf = table;
    writeEndsOpen = open.version();
    writeEndsPipes = pipes.version();
    writeEnds = out;
    return out;
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
