package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * The kstack_demo module at 2.4.22: loaded by sys_init_module (kernel/module.c@2.4.22:346), whose
 * init does what a 2.4 driver did to get a thread of its own (there is no kthread API and no
 * kthreadd): kernel_thread(fn) from the loading process's context, and the thread calls
 * daemonize() and names itself. With recurse=N the init function recurses N deep instead.
 */
public final class Kthread24 implements KthreadModel {
  enum L implements Local { mod_user, name, name_user }


  static final String DEMO = "kstack_demo module (the simulator's own)";

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.NO_KTHREADD);
  }

  @Override
  public void build(Kernel k) {
    k.image.add(Syscalls.entry(k, "init_module", "kernel/module.c", L.name_user, L.mod_user)
        .step("lock_kernel(); find the module; copy_from_user(mod, mod_user, ...) and check it; "
            + "the simulator's insmod passes the parameter text (the thread's name or recurse=N) "
            + "in name_user: it lands in kstack_demo_name",
            x -> Kthread.copyParam(k, x, x.get(L.name_user)))
        .callVia("if (mod->init && (error = mod->init()) != 0) goto err",
            x -> k.image.symbol("kstack_demo_init"), Args.inPlace(), null)
        .ret("mod->flags |= MOD_RUNNING; unlock_kernel(); return error", Exec::retval).build());
    k.image.add(k.image.c("kstack_demo_init", DEMO).params()
        .branchIf("thread", "if (recurse == 0)  /* module parameter: recurse=N */",
            x -> Kthread.recurseParam(k) == 0)
        .call("kstack_demo_recurse(recurse)", "kstack_demo_recurse",
            Args.of(x -> Kthread.recurseParam(k)))
        .ret("return 0", x -> 0)
        .label("thread")
        .call("kernel_thread(kstack_demo_thread, name, CLONE_FS | CLONE_FILES | CLONE_SIGHAND): "
            + "the 2.4 way, no kthread_create", "kernel_thread",
            Args.of(x -> k.image.symbol("kstack_demo_thread"), x -> k.image.symbol("kstack_demo_name"),
                x -> Kernel.CLONE_FS | Kernel.CLONE_FILES | 0x800))
        .ret("return 0", x -> 0).build());
    Kthread.buildRecurse(k);
    k.image.add(k.image.c("kstack_demo_thread", DEMO).params(L.name)
        .call("daemonize(): let go of the loader's mm and files", "daemonize", Args.inPlace())
        .step("strcpy(current->comm, name)", x -> k.tasks.setComm(k.current(x),
            k.mem.readCString(x.get(L.name), 16)))
        .label("loop")
        .step("set_current_state(TASK_INTERRUPTIBLE) (wait for work)", x -> {
          k.tasks.setState(k.current(x), Kernel.TASK_INTERRUPTIBLE);
          k.timeline.emit(new Event.Blocked(x.cpu().id(), k.tasks.pid(k.current(x)), "kthread idle"));
        })
        .call("schedule()", "schedule", Args.inPlace())
        .jump("loop", "for (;;)").build());
  }

  /** kernel/sched.c@2.4.22:95 runqueue_head; kernel/context.c@2.4.22:156 the static startup. */
  @Override
  public void linkData(Kernel k, kstack.image.Linker l) {
    kstack.layout.Types t = k.t;
    l.object("runqueue_head", t.struct(k.image.struct("list_head")), t.word);
    l.object("startup", t.struct(k.image.struct("completion")), t.word);
  }
}
