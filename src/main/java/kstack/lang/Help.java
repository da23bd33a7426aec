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
        "  sysenter NAME(ARGS)     i386: the same through the vDSO's __kernel_vsyscall and SYSENTER",
        "  call FUNC(ARGS)         the current user task calls inner, middle, outer, sum8 or call8",
        "  kthread NAME            kernel code creates a kthread through kthreadd and wakes it",
        "  break SYMBOL | delete   stop before the first step of SYMBOL | remove all breakpoints",
        "  continue | run          resume the interrupted command | run until every CPU is idle",
        "  stepi [N] | finish      N steps on the selected CPU | run until this function returns",
        "  reverse-stepi [N]       take the machine's last N steps back (every byte and register)",
        "  cpu [N]                 select a CPU",
        "  irq N | tick | nmi      device line N (0-15), the scheduler tick or an NMI interrupts the",
        "                          selected CPU where it is; runs until the interrupted code resumes",
        "  exception db|mc         a debug exception (#DB) or machine check (#MC) on the selected CPU",
        "                          (x86_64: IST stack from kernel mode, task stack from user mode;",
        "                          2.6: always the IST stack; i386: the interrupted stack)",
        "  recurse N               the current task recurses N frames of 256 bytes in the kernel",
        "Inspection:",
        "  p[/FMT] EXPR            evaluate (FMT: x d u o t c a): $rsp, current->pid, ...",
        "  bt [PID] | stack [PID]  backtrace | every word of the kernel stack, labelled",
        "  bt -v                   every task's STACK_END_MAGIC and stack high-water mark",
        "  stack --draw [PID]      the task's stack as a boxed diagram, to scale in lines",
        "  export svg FILE [PID]   draw the stacks (one task's, or all) to scale as SVG into FILE",
        "  ps | console            tasks | what was written to /dev/console",
        "  x/FMT ADDR              examine memory (gdb formats: x/8gx $rsp, x/4i $rip, x/s ADDR;",
        "                          x/a reads pointer-sized units, x/c bytes)",
        "  struct NAME [ADDR]      layout of a struct (with values at ADDR)",
        "  info registers [NAME]...  all registers, or the named ones (info registers pc sp)",
        "  info config | info breakpoints | info symbol ADDR",
        "Comments start with #. One command per line.");
  }
}
