package kstack.kernel;

import java.util.function.Function;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.trace.Event;

/**
 * What every kthread model shares (kernel/kthread.c): the kthread_create_info accessors, and the
 * kstack_demo module (not part of Linux) whose init does what drivers do: create a kthread and
 * wake it, or with recurse=N recurse N deep. Its thread sleeps in TASK_INTERRUPTIBLE, waiting for
 * work that never comes. Each generation's model is a {@link KthreadModel}.
 */
final class Kthread {
  enum L implements Local { buf, data, depth, fn, task }

  private Kthread() {}

  static final String SRC = "kernel/kthread.c";
  static final String DEMO = "kstack_demo module (the simulator's own)";

  /** Builds the profile's kthread model (its {@link KthreadModel} module). */
  static void build(Kernel k) {
    k.profile.module(KthreadModel.class).build(k);
  }

  /** The module's recurse=N parameter, parsed by load_module into kstack_demo_name. */
  static long recurseParam(Kernel k) {
    String p = k.mem.readCString(k.image.symbol("kstack_demo_name"), 16);
    return p.startsWith("recurse=") ? Long.parseLong(p.substring(8)) : 0;
  }

  /**
   * kstack_demo_init: recurse, or create the module's thread with the generation's kthread_create
   * (its call text, symbol and arguments) and wake it.
   */
  static void buildDemoInit(Kernel k, String createText, String create,
      Function<Exec, long[]> createArgs) {
    k.image.add(k.image.c("kstack_demo_init", DEMO).params().locals(L.task)
        .branchIf("thread", "if (recurse == 0)  /* module parameter: recurse=N */",
            x -> recurseParam(k) == 0)
        .call("kstack_demo_recurse(recurse)", "kstack_demo_recurse",
            Args.of(x -> recurseParam(k)))
        .ret("return 0", x -> 0)
        .label("thread")
        .callInto(L.task, createText, create, Args.computed(createArgs))
        .call("wake_up_process(task)", "wake_up_process", Args.of(x -> x.get(L.task)))
        .ret("return 0", x -> 0).build());
    buildRecurse(k);
    buildDemoThread(k);
  }

  /** The module's recursion: 256-byte frames, depth deep (every generation). */
  static void buildRecurse(Kernel k) {
    k.image.add(k.image.c("kstack_demo_recurse", DEMO).params(L.depth).localArea(L.buf, 240)
        .step("memset(buf, depth, sizeof(buf)): a 256-byte frame that really uses its stack",
            x -> {
              long b = x.addr(L.buf);
              for (int i = 0; i < 240; i += x.word()) {
                x.write(b + i, 0x0101010101010101L * (x.get(L.depth) & 0xff | 1));
              }
            })
        .branchIf("bottom", "if (depth == 0) return 0", x -> x.get(L.depth) == 0)
        .call("return kstack_demo_recurse(depth - 1) + buf[0]", "kstack_demo_recurse",
            Args.of(x -> x.get(L.depth) - 1))
        .label("bottom")
        .ret("return", x -> 0).build());
  }

  /** Copies the module's parameter text (the thread's name or recurse=N) into kstack_demo_name. */
  static void copyParam(Kernel k, Exec x, long user) {
    byte[] name = new byte[16];
    for (int i = 0; i < 15; i++) {
      byte b = (byte) x.read(user + i, 1);
      if (b == 0) {
        break;
      }
      name[i] = b;
    }
    k.mem.writeBytes(k.image.symbol("kstack_demo_name"), name);
  }

  /** The module's thread: sleep until kthread_should_stop(), which never comes. */
  private static void buildDemoThread(Kernel k) {
    k.image.add(k.image.c("kstack_demo_thread", DEMO).params(L.data)
        .label("loop")
        .step("set_current_state(TASK_INTERRUPTIBLE) (wait for work)", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(k.current(x)), "kthread idle"));
        })
        .call("schedule()", "schedule", Args.inPlace())
        .jump("loop", "while (!kthread_should_stop())").build());
  }

  static void buildDoOneInitcall(Kernel k) {
    k.image.add(k.image.c("do_one_initcall", "init/main.c").params(L.fn)
        .callVia("ret = fn()", x -> x.get(L.fn), Args.inPlace(), null)
        .ret("return ret", Exec::retval).build());
  }
}
