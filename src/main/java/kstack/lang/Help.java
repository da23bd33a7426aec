package kstack.lang;

import java.util.List;

/** The command summary printed by {@code help}. */
final class Help {
  private Help() {}

  static List<String> lines() {
    return List.of(
        "Execution:",
        "  boot                    run until pid 1 and pid 2 exist and CPU 0 is in its idle loop",
        "  spawn NAME              init forks and execs NAME; runs until it is in user mode",
        "  syscall NAME(ARGS)      the current user task makes a system call (getpid, read, write,",
        "                          pipe, pipe2, nanosleep, clone, fork, execve, exit, wait4, sched_yield)",
        "  call FUNC(ARGS)         the current user task calls inner, middle, outer, sum8 or call8",
        "  kthread NAME            kernel code creates a kthread through kthreadd and wakes it",
        "  break SYMBOL | delete   stop before the first step of SYMBOL | remove all breakpoints",
        "  continue | run          resume the interrupted command | run until every CPU is idle",
        "  stepi [N] | finish      N steps on the selected CPU | run until this function returns",
        "  cpu [N]                 select a CPU",
        "Inspection:",
        "  p[/x|/d|/u|/a] EXPR     evaluate: $rsp, current->pid, task_pt_regs(current)->sp, ...",
        "  bt [PID] | stack [PID]  backtrace | every word of the kernel stack, labelled",
        "  ps | console            tasks | what was written to /dev/console",
        "  x/FMT ADDR              examine memory (gdb formats: x/8gx $rsp, x/4i $rip, x/s ADDR)",
        "  struct NAME [ADDR]      layout of a struct (with values at ADDR)",
        "  info registers | info config | info breakpoints | info symbol ADDR",
        "Comments start with #. One command per line.");
  }
}
