package kstack.kernel;

/**
 * The task_struct members the model reads and writes, by the path the code names them (the
 * current kernel's name; where an older generation names one differently, as i386 before 2.6.25
 * names thread.sp thread.esp and 2.6.11 names task->stack task->thread_info, the member lists
 * that name too, and its layout has one of the two). Each is resolved to an offset and size once, when the profile's kernel is built ({@link TaskAccess}),
 * so a step reads a member by index, with no name looked up; a typo is a compile error.
 *
 * <p>Which generations have each member (include/linux/sched.h of the version): {@link Where#EVERY}
 * every task_struct modelled; {@link Where#LISTED} the list_head-linked task_struct of 2.6 on;
 * {@link Where#UNION} 2.4.22's task_struct at the base of the task_union
 * (include/linux/sched.h@2.4.22:283-418); {@link Where#SOME} members of one arch's thread_struct
 * or of some generations only. A member its generation has but its layout lacks fails when the
 * kernel is built.
 */
public enum TaskMember {
  // every generation
  flags(Where.EVERY), mm(Where.EVERY), active_mm(Where.EVERY), exit_code(Where.EVERY),
  exit_signal(Where.EVERY), pid(Where.EVERY), tgid(Where.EVERY), comm(Where.EVERY),
  // 2.6 on: tasks, children/sibling, real_parent, exit_state
  usage(Where.LISTED), on_cpu(Where.LISTED), on_rq(Where.LISTED), prio(Where.LISTED),
  tasks(Where.LISTED), exit_state(Where.LISTED), stack_canary(Where.LISTED),
  real_parent(Where.LISTED), parent(Where.LISTED), children(Where.LISTED),
  sibling(Where.LISTED), group_leader(Where.LISTED),
  // 2.4.22's task_union
  sigpending(Where.UNION), addr_limit(Where.UNION), exec_domain(Where.UNION),
  need_resched(Where.UNION), lock_depth(Where.UNION), counter(Where.UNION), nice(Where.UNION),
  policy(Where.UNION), processor(Where.UNION), cpus_runnable(Where.UNION),
  cpus_allowed(Where.UNION), run_list(Where.UNION), next_task(Where.UNION),
  prev_task(Where.UNION), pgrp(Where.UNION), p_opptr(Where.UNION), p_pptr(Where.UNION),
  p_cptr(Where.UNION), p_ysptr(Where.UNION), p_osptr(Where.UNION),
  wait_chldexit(Where.UNION), wait_chldexit_task_list("wait_chldexit.task_list", Where.UNION),
  // some generations: the state, stack, CPU and thread-group members the task model names
  state(Where.SOME), __state(Where.SOME), stack("stack", "thread_info"), cpu(Where.SOME),
  ptrace(Where.SOME), audit_context(Where.SOME), stack_vm_area(Where.SOME),
  stack_refcount(Where.SOME), thread_group(Where.SOME), thread_node(Where.SOME),
  thread_info(Where.SOME), thread_info_cpu("thread_info.cpu", Where.SOME),
  thread_info_addr_limit("thread_info.addr_limit", Where.SOME),
  thread_info_preempt_count("thread_info.preempt_count", Where.SOME),
  // the arch's thread_struct (arch/ARCH/include/asm/processor.h of the version)
  thread_sp("thread.sp", "thread.esp"), thread_ip("thread.ip", "thread.eip"),
  thread_sp0("thread.sp0", "thread.esp0"), thread_esp("thread.esp", Where.SOME),
  thread_eip("thread.eip", Where.SOME), thread_esp0("thread.esp0", Where.SOME),
  thread_usersp("thread.usersp", Where.SOME), thread_fsbase("thread.fsbase", Where.SOME),
  thread_tp_value("thread.tp_value", Where.SOME),
  thread_sysenter_cs("thread.sysenter_cs", Where.SOME),
  thread_trap_no("thread.trap_no", Where.SOME),
  thread_error_code("thread.error_code", Where.SOME),
  thread_ioperm("thread.ioperm", Where.SOME), thread_io_bitmap("thread.io_bitmap", Where.SOME);

  /** Which generations' task_struct has a member. */
  public enum Where { EVERY, LISTED, UNION, SOME }

  private final String path;
  private final String olderPath;
  private final Where where;

  TaskMember(Where where) {
    this.path = name();
    this.olderPath = null;
    this.where = where;
  }

  TaskMember(String path, Where where) {
    this.path = path;
    this.olderPath = null;
    this.where = where;
  }

  /** A member of some generations that older ones name olderPath (sched.h, processor.h). */
  TaskMember(String path, String olderPath) {
    this.path = path;
    this.olderPath = olderPath;
    this.where = Where.SOME;
  }

  /** The older generations' path where they name the member differently, else null. */
  String olderPath() {
    return olderPath;
  }

  /** The dotted path in the current kernel's names, e.g. {@code thread.sp}. */
  public String path() {
    return path;
  }

  /**
   * Whether a generation's task_struct must have it: every one, and the members of its family
   * (the task_union's with the task_struct in the stack, the listed ones otherwise).
   */
  boolean required(boolean taskUnion) {
    return where == Where.EVERY || where == (taskUnion ? Where.UNION : Where.LISTED);
  }
}
