package kstack.profile;

/**
 * A named way in which kernel generations differ. Generic code asks a profile whether it has a feature
 * and never compares version numbers; each feature cites where the kernel has (or stopped having) it.
 * Paths are relative to the kernel tree; {@code @4.16.13} and {@code @6.19} name the snapshots listed
 * in docs/sources.md.
 * Version boundaries pinned by docs/research/x86_64-call-chains.md §13: rsp_scratch became TSS sp2
 * in v4.20, task_struct.state became __state in v5.14, _do_fork became kernel_clone between 5.4
 * and 5.10, user_mode_thread appeared between 5.15 and 5.19, __end_init_task became
 * __end_init_stack between 6.9 and 6.11.
 */
public enum Feature {
  /** thread_info lives in task_struct, the stack holds only frames; end_of_stack is task->stack. */
  THREAD_INFO_IN_TASK("arch/x86/Kconfig@4.16.13:192 selects THREAD_INFO_IN_TASK",
      "struct:thread_info,task_struct"),
  /** 2.4: the task_struct itself sits at the base of the 8 KiB union task_union and the stack grows
   * down towards it; current is esp & ~8191; there is no thread_info and no STACK_END_MAGIC, and
   * copy_thread puts pt_regs at the very top. */
  TASK_UNION("include/linux/sched.h@2.4.22:515-522; include/asm-i386/current.h@2.4.22:6-13; "
      + "arch/i386/kernel/process.c@2.4.22:582-605",
      "struct:task_struct,thread_info,thread_struct;sym:init_task_union,init_thread_union,"
      + "exit_group,sys_exit_group,do_group_exit,clock_nanosleep,sys_clock_nanosleep,common_nsleep,"
      + "__start_init_task,__end_init_task,set_task_stack_end_magic,current_task,"
      + "do_no_restart_syscall;"
      + "const:STACK_END_MAGIC,TOP_OF_KERNEL_STACK_PADDING"),
  /** 2.4's i386 entry: system_call keeps current in %ebx (GET_CURRENT) and reschedules in
   * ret_from_sys_call; SAVE_ALL saves no fs/gs (pt_regs is 60 bytes); IRQ0x0N_interrupt stubs push
   * irq - 256 into common_interrupt, whose do_IRQ runs handle_IRQ_event on the interrupted stack;
   * no ptregs_ stubs, SYSENTER, vDSO, IRQ stacks, per-CPU areas or genirq flow handlers; the
   * selectors are GDT entries 2-5. */
  I386_ENTRY_24("arch/i386/kernel/entry.S@2.4.22:186-268; include/asm-i386/hw_irq.h@2.4.22:155-181; "
      + "arch/i386/kernel/irq.c@2.4.22:437-460,563-657; include/asm-i386/segment.h@2.4.22:4-8",
      "struct:pt_regs,tss_struct,x86_hw_tss;sym:IRQ*,call_do_IRQ,ret_from_sys_call,reschedule,"
      + "handle_IRQ_event,syscall_call,syscall_exit,work_pending,work_resched,resume_userspace,"
      + "irq_entries_start,ptregs_*,VDSO32_SYSENTER_RETURN,__kernel_vsyscall,ia32_sysenter_target,"
      + "sysenter_*,enable_sep_cpu,handle_irq,irq_ctx_init,hardirq_ctx,softirq_ctx,nmi,do_nmi,"
      + "default_do_nmi,initial_code,i386_start_kernel,startup_32_smp,cpu_number,this_cpu_off,"
      + "stack_canary,native_cpu_up,start_secondary,smp_init,kernel_execve,kernel_thread_helper,"
      + "start_thread,irq_enter,irq_exit,handle_edge_irq,handle_irq_event*,intel_machine_check,"
      + "unknown_nmi_error,"
      + "__handle_irq_event_percpu,__do_softirq,preempt_schedule_irq;"
      + "const:__KERNEL_CS,__KERNEL_DS,__USER_CS,__USER_DS,__KERNEL_PERCPU,SIZEOF_PTREGS"),
  /** 2.4's scheduler and task lifetime: one runqueue_head list that goodness() scans, wake-ups
   * inline in __wake_up/wake_up_process; do_fork copies the task itself (no copy_process or
   * dup_task_struct) and links it with SET_LINKS; exit_notify makes a TASK_ZOMBIE that sys_wait4
   * finds on the p_cptr/p_osptr tree; an AP's idle task comes from smpboot.c's fork_by_hand, a
   * do_fork with CLONE_PID, not from fork_idle. */
  SCHED_24("kernel/sched.c@2.4.22:95,349-380,547-705; kernel/fork.c@2.4.22:635-830; "
      + "kernel/exit.c@2.4.22:331-588; arch/i386/kernel/smpboot.c@2.4.22:502-515",
      "sym:runqueue_head,__wake_up,exit_notify,copy_process,dup_task_struct,wake_up_new_task,"
      + "fork_idle,do_fork_idle,finish_task_switch,try_to_wake_up,init_idle,do_wait,"
      + "__wake_up_sync_key"),
  /** 2.4's VFS: sys_read and sys_write call file->f_op->read/write themselves (no vfs_read,
   * vfs_write or do_sync_*), sys_pipe calls do_pipe, and there is no pipe2. */
  VFS_24("fs/read_write.c@2.4.22:162-211; fs/pipe.c@2.4.22:504; "
      + "arch/i386/kernel/sys_i386.c@2.4.22:29-40",
      "sym:vfs_read,vfs_write,do_sync_read,do_sync_write,do_pipe,do_pipe_flags,pipe2,sys_pipe2"),
  /** 2.4: no kthreadd, no kthread API: kernel_thread() (an int $0x80 clone), daemonize(), pid 1
   * init() and pid 2 keventd; sys_init_module calls mod->init itself. */
  NO_KTHREADD("init/main.c@2.4.22:340-346,465-584; kernel/context.c@2.4.22:67-159; "
      + "kernel/fork.c@2.4.22:601-624; arch/i386/kernel/process.c@2.4.22:488-513; "
      + "kernel/module.c@2.4.22:346",
      "sym:arch_kernel_thread,kthreadd,kthreadd_task,kthread,kthread_create*,create_kthread,__kthread_create_on_node,"
      + "wait_for_completion*,complete,wait_for_common,kthreadd_done,daemonize,init_module,"
      + "sys_init_module,init,do_basic_setup,start_context_thread,context_thread,startup,"
      + "kernel_init,init_post,run_init_process,load_module,do_init_module,do_one_initcall,"
      + "finit_module,sys_finit_module"),
  /** 2.4: no hrtimers; the tick is IRQ 0's timer_interrupt, nanosleep sleeps in schedule_timeout on
   * a timer_list that the timer bottom half runs. */
  TIMER_BH("kernel/timer.c@2.4.22:292,595-711,836-875; kernel/sched.c@2.4.22:375-380,408-458; "
      + "arch/i386/kernel/time.c@2.4.22:569-713",
      "sym:hrtimer_*,__hrtimer_run_queues,__run_hrtimer,do_nanosleep,tick_sched_*,"
      + "do_clock_nanosleep,nanosleep_wake_up,common_nsleep,"
      + "update_process_times,scheduler_tick,timer_bh,run_timer_list,process_timeout,"
      + "schedule_timeout,timer_interrupt,do_timer_interrupt,do_timer,bh_action,tasklet_hi_action,"
      + "local_apic_timer_interrupt,smp_apic_timer_interrupt,apic_timer_interrupt,run_timer_softirq"),
  /** 2.6: struct thread_info sits at the base of the kernel stack (union thread_union), task->stack
   * points at it and thread_info->task points back; TIF flags, cpu and preempt_count live there;
   * end_of_stack() is the word right after it, where STACK_END_MAGIC goes. */
  THREAD_INFO_AT_BASE("include/linux/sched.h@2.6.32:2302-2330; "
      + "arch/x86/include/asm/thread_info.h@2.6.32:24-57", "struct:thread_info,task_struct"),
  /** 2.6.32: schedule() is the whole scheduler, context_switch() is inline in it, and the switch_to
   * macro is inline asm that saves prev's resume address in thread.ip and jumps to __switch_to
   * (kernel/sched.c@2.6.32:5697-5766,2999-3047; arch/x86/include/asm/system.h@2.6.32:47-93). */
  SCHEDULE_SWITCH_INLINE("kernel/sched.c@2.6.32:2999-3047,5697-5766; "
      + "arch/x86/include/asm/system.h@2.6.32:47-93; 2.4: kernel/sched.c@2.4.22:547-705, "
      + "include/asm-i386/system.h@2.4.22:16-34",
      "sym:__schedule,__switch_to_asm,schedule_tail_wrapper,do_idle,cpu_startup_entry,cpuidle_idle_call,"
      + "default_idle_call,arch_cpu_idle,schedule_idle,schedule_preempt_disabled,do_task_dead,cpu_idle;"
      + "struct:inactive_task_frame,fork_frame,thread_struct"),
  /** 2.6: process creation carries the parent's saved user registers down to copy_thread: do_fork(
   * clone_flags, stack_start, regs,...), sys_fork(struct pt_regs *) reached through ptregs_ stubs,
   * sys_execve(struct pt_regs *) (kernel/fork.c@2.6.32:1368; arch/x86/kernel/process_32.c@2.6.32).
   * */
  FORK_PASSES_REGS("kernel/fork.c@2.6.32:981,1368; arch/x86/kernel/process_32.c@2.6.32:242-294,"
      + "432-470; arch/x86/kernel/entry_32.S@2.6.32:718-733; 2.4: kernel/fork.c@2.4.22:635-636, "
      + "arch/i386/kernel/process.c@2.4.22:743-793 (pt_regs by value)",
      "sym:do_fork,ptregs_*,sys_*,copy_thread,do_execve,do_sync_read,do_sync_write,do_pipe_flags,"
      + "kthread_create,_do_fork,copy_thread_tls,kernel_wait4,exec_binprm,do_execveat_common,__vfs_read,"
      + "__vfs_write,new_sync_read,new_sync_write,__do_pipe_flags,SyS_*,kthread_create_on_node,"
      + "__kthread_create_on_node,alloc_thread_stack_node,put_task_stack,wait_for_completion_killable;"
      + "struct:kthread_create_info"),
  /** 2.6: kernel_thread() is arch code that forges a pt_regs on the caller's stack and forks it;
   * the child starts in kernel_thread_helper; pid 1 reaches user space by an int $0x80 execve from
   * kernel mode. */
  ARCH_KERNEL_THREAD("arch/x86/kernel/process_32.c@2.6.32:204-224; "
      + "arch/x86/kernel/entry_32.S@2.6.32:994-1006; arch/x86/kernel/sys_i386_32.c@2.6.32:216-223; "
      + "2.4: arch/i386/kernel/process.c@2.4.22:488-513 (a clone through int $0x80)",
      "sym:kernel_thread,kernel_thread_helper,kernel_execve,init_post,kernel_init_freeable"),
  /** 2.6.32: irq_exit's invoke_softirq() is do_softirq(), since x86 does not define
   * __ARCH_IRQ_EXIT_IRQS_DISABLED. */
  SOFTIRQ_VIA_DO_SOFTIRQ("kernel/softirq.c@2.6.32; arch/x86/kernel/irq_32.c@2.6.32:159-188",
      "sym:do_softirq"),
  /** 2.6.32: the flow handler runs the actions through handle_IRQ_event; modules load through
   * sys_init_module, which calls do_one_initcall itself: no handle_irq_event* (later), no
   * finit_module (3.8). */
  GENIRQ_MODULE_2632("kernel/irq/chip.c@2.6.32.67:565-623; kernel/irq/handle.c@2.6.32.67:370-420; "
      + "kernel/module.c@2.6.32.67:2603-2663",
      "sym:handle_IRQ_event,handle_irq_event,handle_irq_event_percpu,__handle_irq_event_percpu,"
      + "init_module,sys_init_module,finit_module,sys_finit_module,do_init_module"),
  /** 6.19 x86: HOTPLUG_SPLIT_STARTUP; the AP is kicked by native_kick_ap and waited for by the
   * hotplug core, there is no native_cpu_up. */
  HOTPLUG_SPLIT_STARTUP("arch/x86/Kconfig@6.19:307-309; kernel/cpu.c@6.19:818-849; "
      + "arch/x86/kernel/smpboot.c@6.19:975-1017", "sym:native_kick_ap,native_cpu_up"),
  /** 2.6.11: current is current_thread_info()->task (esp masked, then a load); no per-CPU
   * current_task, task->thread_info (not stack), a 52-byte thread_info, no end-of-stack magic. */
  CURRENT_FROM_THREAD_INFO("include/asm-i386/current.h@2.6.11:8-13; "
      + "include/asm-i386/thread_info.h@2.6.11:28-47,88-93; include/linux/sched.h@2.6.11:528-530; "
      + "arch/i386/kernel/process.c@2.6.11:574-627",
      "struct:thread_info,task_struct;sym:current_task,set_task_stack_end_magic;const:STACK_END_MAGIC"),
  /** 2.6.11 i386: 2.4's 15-word pt_regs (no fs, gs) at the very top of the stack, no padding;
   * thread_struct is tls_array, esp0, sysenter_cs, eip, esp, fs, gs. */
  PT_REGS_60("include/asm-i386/ptrace.h@2.6.11:26-42; arch/i386/kernel/entry.S@2.6.11:84-140; "
      + "include/asm-i386/processor.h@2.6.11:423-447,480-489,511-526; "
      + "arch/i386/kernel/process.c@2.6.11:629-690 (pt_regs by value: no ptregs_ stubs); "
      + "include/asm-i386/unistd.h@2.6.11:416,435 (init's execve stub, not kernel_execve); "
      + "no stack protector (no stack_canary)",
      "struct:pt_regs,thread_struct;sym:ptregs_*,start_thread,kernel_execve,stack_canary;"
      + "const:TOP_OF_KERNEL_STACK_PADDING,SIZEOF_PTREGS,__KERNEL_PERCPU"),
  /** 2.6.11's boot: head.S's startup_32 loads the stack and calls start_kernel itself (no
   * initial_code, no i386_start_kernel, no startup_32_smp entry), and the model runs it on one
   * CPU, so there is no AP bring-up. */
  HEAD_CALLS_START_KERNEL("arch/i386/kernel/head.S@2.6.11:57-327,425-427",
      "sym:i386_start_kernel,initial_code,startup_32_smp,start_secondary,native_cpu_up,"
      + "do_fork_idle"),
  /** 2.6.11's system-call table ends at 288 (include/asm-i386/unistd.h@2.6.11:298): no pipe2
   * (2.6.27), no finit_module (3.8); modules load with init_module(umod, len, uargs), whose
   * sys_init_module calls mod->init itself. */
  SYSCALL_TABLE_2611("include/asm-i386/unistd.h@2.6.11:136,298; kernel/module.c@2.6.11:1736-1790",
      "sym:init_module,sys_init_module,finit_module,sys_finit_module,pipe2,sys_pipe2,"
      + "do_init_module,do_one_initcall"),
  /** 2.6.11: no kthreadd; kthread_create queues keventd_create_kthread on the helper workqueue
   * whose worker forks kernel_thread(kthread, ...); before helper_init, kthread_create runs it
   * itself, so init forks the first kernel threads. */
  KTHREAD_HELPER_WQ("kernel/kthread.c@2.6.11:17-143,194-201; kernel/workqueue.c@2.6.11:38-110,"
      + "145-215,279-330,515-519; kernel/softirq.c@2.6.11:350-392,444-490; "
      + "init/main.c@2.6.11:371-379,416-515,572-599,625-693; kernel/sched.c@2.6.11:3010-3053",
      "sym:kthreadd,kthreadd_task,kthreadd_done,create_kthread,kthread_create_list,"
      + "kernel_init,init_post,wait_for_common,helper_wq,keventd_wq,khelper_wq,ksoftirqd,"
      + "keventd_create_kthread,queue_work,__queue_work,worker_thread,run_workqueue,"
      + "create_workqueue_thread,__create_workqueue,init_workqueues,helper_init,"
      + "usermodehelper_init,spawn_ksoftirqd,cpu_callback,kthread_bind,init,"
      + "do_pre_smp_initcalls,do_basic_setup,do_initcalls,per_cpu__ksoftirqd,workqueues,.LC*,"
      + "wait_for_completion_killable;"
      + "struct:kthread_create_info,work_struct,cpu_workqueue_struct,workqueue_struct"),
  /** 2.6.11 has no hrtimers (they came in 2.6.16): nanosleep sleeps in schedule_timeout on an
   * on-stack timer_list and process_timeout wakes it from the timer softirq; the tick calls
   * update_process_times itself
   * (kernel/timer.c@2.6.11:813-830,882-895,920-924,1042-1113,1159-1190;
   * include/asm-i386/param.h@2.6.11:5, HZ 1000). */
  NO_HRTIMERS("kernel/timer.c@2.6.11:813-830,882-895,920-924,1042-1113,1159-1190; "
      + "include/asm-i386/param.h@2.6.11:5",
      "sym:hrtimer_*,__hrtimer_run_queues,__run_hrtimer,do_nanosleep,tick_sched_*,"
      + "do_clock_nanosleep,nanosleep_wake_up,common_nsleep,"
      + "local_apic_timer_interrupt,schedule_timeout,process_timeout"),
  /** 2.6.11's interrupts: per-IRQ stubs at 0x20 + i push i - 256; common_interrupt's fastcall
   * do_IRQ switches to the irq_ctx (4KSTACKS) inline and calls __do_IRQ → handle_IRQ_event (no
   * flow handlers); the tick is IRQ 0's timer_interrupt → do_timer; irq_exit runs do_softirq (on
   * the softirq irq_ctx with 4KSTACKS); arch/i386/mach-default/setup.c@2.6.11:74 installs the
   * timer. */
  IRQ_2611("arch/i386/kernel/entry.S@2.6.11:159-188,342-362; arch/i386/kernel/irq.c@2.6.11:48-107; "
      + "arch/i386/kernel/i8259.c@2.6.11:363-410; include/asm-i386/mach-default/irq_vectors.h@2.6.11:29; "
      + "kernel/irq/handle.c@2.6.11:78-190; arch/i386/kernel/time.c@2.6.11:221-300; "
      + "include/asm-i386/mach-default/do_timer.h@2.6.11:16-32; include/linux/hardirq.h@2.6.11:98-102; "
      + "kernel/softirq.c@2.6.11:72-132,155-171,249-280; include/asm-i386/irq.h@2.6.11:30-35; "
      + "arch/i386/kernel/irq.c@2.6.11:124-151,155-187",
      "sym:handle_irq,handle_edge_irq,handle_irq_event,handle_irq_event_percpu,"
      + "__handle_irq_event_percpu,__do_IRQ,handle_IRQ_event,timer_interrupt,do_timer,"
      + "apic_timer_interrupt,smp_apic_timer_interrupt,execute_on_irq_stack,irq_enter,"
      + "irq_ctx_init"),
  /** 2.6.11's SYSENTER: SYSENTER_ESP = tss->esp1, sti before the frame, the fixed $SYSENTER_RETURN,
   * sysexit after the work check; sysenter_setup runs enable_sep_cpu. */
  SYSENTER_2611("arch/i386/kernel/entry.S@2.6.11:196-237; arch/i386/kernel/sysenter.c@2.6.11:24-65; "
      + "arch/i386/kernel/vsyscall-sysenter.S@2.6.11:14-41",
      "sym:SYSENTER_RETURN,sysenter_entry,sysenter_setup,VDSO32_SYSENTER_RETURN,ia32_sysenter_target,"
      + "sysenter_after_call,sysenter_exit"),
  /** 2.6.11's #DB, #MC and NMI: debug and nmi with their FIX_STACK checks against sysenter_entry,
   * fastcall do_debug/do_nmi, machine_check through error_code (intel_machine_check), the return
   * through ret_from_exception into ret_from_intr, NMIs through default_do_nmi →
   * unknown_nmi_error. */
  TRAPS_2611("arch/i386/kernel/entry.S@2.6.11:159-161,379-401,441-462,472-506,563-567; "
      + "arch/i386/kernel/traps.c@2.6.11:538-552,575-633,681-748,1010,1028; "
      + "include/linux/hardirq.h@2.6.11:85-86; arch/i386/kernel/cpu/mcheck/p6.c@2.6.11:20-97",
      "sym:intel_machine_check,do_machine_check,unknown_nmi_error"),
  /** 2.6.11's return work: the exits test TI_flags through %ebp (GET_THREAD_INFO),
   * do_syscall_trace, do_notify_resume clearing TIF_IRET (set by sys_execve); task_struct gains
   * ptrace, audit_context. */
  TIF_WORK_2611("arch/i386/kernel/entry.S@2.6.11:159-190,228-237,253-322; "
      + "include/asm-i386/thread_info.h@2.6.11:136-158; arch/i386/kernel/ptrace.c@2.6.11:679-713; "
      + "arch/i386/kernel/signal.c@2.6.11:580-655; arch/i386/kernel/process.c@2.6.11:680-686; "
      + "include/linux/sched.h@2.6.11:532,645",
      "struct:task_struct;sym:syscall_exit_work,work_notifysig,do_syscall_trace,do_notify_resume,"
      + "do_signal"),
  /** 2.6.11's VFS: fget_light and file_pos_read, vfs_read/vfs_write into pipe_readv/pipe_writev
   * sleeping in pipe_wait under PIPE_SEM, __wake_up for readers; do_pipe (no do_pipe_flags,
   * pipe2). */
  VFS_2611("fs/read_write.c@2.6.11:222-250,270-298,312-345; "
      + "fs/pipe.c@2.6.11:38-47,117-215,217-353,713-792; arch/i386/kernel/sys_i386.c@2.6.11:30-40; "
      + "include/linux/wait.h@2.6.11:153; kernel/sched.c@2.6.11:2960-2968",
      "sym:do_sync_read,do_sync_write,pipe_readv,pipe_writev,__wake_up,__wake_up_sync_key,do_pipe,"
      + "do_pipe_flags"),
  /** 2.6.11's O(1) scheduler and task death: rq->active's priority bitmap, finish_task_switch(prev)
   * dropping a PF_DEAD task (no TASK_DEAD), alloc_pidmap before copy_process, sched_fork after
   * copy_thread, wake_up_new_task running a !CLONE_VM child first, do_wait with five values (no
   * struct wait_opts), an idle loop with no tick_nohz (default_idle checks hlt_counter). */
  SCHED_O1_2611("kernel/sched.c@2.6.11:985-1279,1326-1391,2662-2828,3715-3759,4052-4074,4952-5000; "
      + "kernel/exit.c@2.6.11:775-777,780-840,1314-1460,1497-1510; kernel/fork.c@2.6.11:786-1180; "
      + "include/linux/sched.h@2.6.11:112,721; arch/i386/kernel/process.c@2.6.11:95-106,146-168,"
      + "382-384", "sym:"),
  /** 2.6.11's execve: do_execve makes the mm and copies strings, search_binary_handler sets
   * did_exec, flush_old_exec installs the mm (no setup_new_exec), ELF_PLAT_INIT after
   * create_elf_tables. */
  EXEC_2611("fs/exec.c@2.6.11:828-904,1024-1115,1122-1226; fs/binfmt_elf.c@2.6.11:504-983",
      "sym:"),
  /** Linker names {@code __start_init_task}/{@code __end_init_task} around init_stack. */
  INIT_TASK_SYMBOLS("include/asm-generic/vmlinux.lds.h@4.16.13:277-285 INIT_TASK_DATA",
      "sym:__start_init_task,__end_init_task"),
  /** Linker names {@code __start_init_stack}/{@code __end_init_stack} and {@code __top_init_kernel_stack}. */
  INIT_STACK_SYMBOLS("include/asm-generic/vmlinux.lds.h@6.19:425-432; arch/x86/kernel/vmlinux.lds.S@6.19:176-180",
      "sym:__start_init_stack,__end_init_stack,__top_init_kernel_stack"),
  /** startup_64 loads rsp from the {@code initial_stack} quad. */
  BOOT_RSP_FROM_INITIAL_STACK("arch/x86/kernel/head_64.S@4.16.13:74-75,164,265-270",
      "sym:initial_stack,initial_gs,secondary_startup_64"),
  /** startup_64 loads rsp from current_task->thread.sp (INIT_THREAD.sp = __top_init_kernel_stack). */
  BOOT_RSP_FROM_THREAD_SP("arch/x86/kernel/head_64.S@6.19:61-62,325-326; processor.h@6.19:662-666",
      "sym:common_startup_64"),
  /** cpu_current_top_of_stack is an alias of cpu_tss_rw.x86_tss.sp1 on x86_64. */
  TOP_OF_STACK_IN_TSS_SP1("arch/x86/include/asm/processor.h@4.16.13:377-381; process.c@4.16.13:50-73",
      "sym:"),
  /** cpu_current_top_of_stack is a per-CPU variable of its own. */
  TOP_OF_STACK_PERCPU("arch/x86/kernel/cpu/common.c@6.19:2225",
      "sym:cpu_current_top_of_stack"),
  /** entry_SYSCALL_64 parks the user rsp in the per-CPU {@code rsp_scratch}. */
  SYSCALL_SCRATCH_RSP_SCRATCH("arch/x86/entry/entry_64.S@4.16.13:206-237",
      "sym:rsp_scratch"),
  /** entry_SYSCALL_64 parks the user rsp in {@code cpu_tss_rw.x86_tss.sp2}. */
  SYSCALL_SCRATCH_TSS_SP2("arch/x86/entry/entry_64.S@5.10.89:95-120, @6.19:88-160",
      "sym:"),
  /** do_syscall_64(regs, nr) returns whether SYSRET may be used, and dispatches via x64_sys_call. */
  SYSCALL_NR_ARG_AND_BOOL("arch/x86/entry/entry_64.S@6.19:88-160; arch/x86/entry/syscall_64.c@6.19",
      "sym:x64_sys_call,exit_to_user_mode_loop,__x64_sys_ni_syscall"),
  /** System calls are reached through pt_regs wrappers named {@code __x64_sys_NAME}. */
  SYSCALL_PTREGS_WRAPPERS("arch/x86/include/asm/syscall_wrapper.h (since 4.17); "
      + "arch/arm64/include/asm/syscall_wrapper.h (present in 4.19.1)",
      "sym:__x64_sys_*,__arm64_sys_*,ksys_*,do_pipe2,do_sched_yield"),
  /** Process creation enters through {@code _do_fork}. */
  DO_FORK("kernel/fork.c@4.16.13:2056",
      "sym:_do_fork,SyS_*,sys_*,copy_thread_tls,__vfs_read,__vfs_write,pipe_wait,pipe_read,pipe_write,syscall_return_slowpath,exit_to_usermode_loop"),
  /** Process creation enters through {@code kernel_clone(struct kernel_clone_args *)}. */
  KERNEL_CLONE("kernel/fork.c@5.10.89:2426, @6.19:2610",
      "sym:kernel_clone,copy_thread,kernel_execve,bprm_execve,anon_pipe_read,anon_pipe_write,"
      + "do_execve,clone3,common_nsleep_timens,copy_clone_args_from_user,__do_sys_clone,"
      + "__do_sys_clone3;struct:kthread_create_info"),
  /** rest_init starts pid 1 with user_mode_thread(kernel_init). */
  INIT_USER_MODE_THREAD("init/main.c@6.19:711-757",
      "sym:user_mode_thread"),
  /** A forked task's first switch returns into ret_from_fork_asm, which calls C ret_from_fork. */
  RET_FROM_FORK_ASM_AND_C("arch/x86/entry/entry_64.S@6.19:229-259; arch/x86/kernel/process.c@6.19:151-168",
      "sym:ret_from_fork_asm"),
  /** task_struct's run state is named {@code __state} (renamed in 5.14). */
  TASK_STATE_DUNDER("include/linux/sched.h@6.19",
      "struct:task_struct"),
  /** copy_thread sets the fork frame's bp to encode_frame_pointer(childregs). */
  FORK_FRAME_ENCODED_BP("arch/x86/kernel/process.c@5.10.89:125-175, @6.19:170-270",
      "sym:"),
  /** A stack taken from the per-CPU cache is always cleared before reuse. */
  STACK_CACHE_CLEARED("kernel/fork.c@6.19:192-392",
      "sym:"),
  /** The task's CPU number lives in thread_info.cpu, not in task_struct. */
  TASK_CPU_IN_THREAD_INFO("include/linux/sched.h@6.19:2215-2218; asm/thread_info.h@6.19:62-69",
      "struct:thread_info,task_struct"),
  /** tss_struct ends in a struct x86_io_bitmap (prev_sequence, prev_max, bitmap, mapall). */
  TSS_IO_BITMAP_STRUCT("arch/x86/include/asm/processor.h@6.19:372-409",
      "struct:tss_struct"),
  /** Interrupts enter through the generic idtentry/irqentry code (x86 since 5.8): error_entry and
   * sync_regs, irqentry_enter/exit, and call_on_irqstack_cond, which stays on the task stack when
   * the interrupt came from user mode (arch/x86/include/asm/irq_stack.h@6.19). */
  IRQENTRY("arch/x86/entry/entry_64.S@6.19; arch/x86/include/asm/idtentry.h@6.19; kernel/entry/common.c@6.19",
      "sym:asm_*,interrupt_entry,apic_timer_interrupt,do_IRQ,handle_irq,smp_apic_timer_interrupt,ret_from_intr,retint_*,irq_enter,irq_exit,prepare_exit_to_usermode,double_fault,do_double_fault,nmi,do_nmi,irq_stack_union,irq_stack_ptr,irq_count,error_entry,error_return,sync_regs,common_interrupt,__common_interrupt,sysvec_*,__sysvec_*,irqentry_exit,irq_enter_rcu,irq_exit_rcu,handle_softirqs,cpu_init_exception_handling,exc_*,hardirq_stack_ptr,hardirq_stack_inuse,__stack_chk_guard,irq_entries_start,debug,do_debug,do_mce,machine_check,error_exit,noist_exc_*,exit_to_user_mode_loop,exit_to_usermode_loop"),
  /** schedule() loops through the always-inline __schedule_loop. */
  SCHEDULE_LOOP("kernel/sched/core.c@6.19 (scheduler_tick is named sched_tick there too)",
      "sym:sched_tick,scheduler_tick"),
  /** .data..percpu is an ordinary section of the image (not linked at 0); per-CPU symbols are
   * addresses and GS base is the CPU's offset (vmlinux.lds.S@6.19:333-334, research §9.1). */
  PERCPU_IN_IMAGE("arch/x86/kernel/vmlinux.lds.S@6.19:333-334; setup_percpu.c@6.19:32",
      "sym:__per_cpu_start,__per_cpu_end"),
  /** arm64 exception entry in C (entry-common.c@6.19): el0t_64_sync → el0_svc → invoke_syscall,
   * IRQs through call_on_irq_stack (entry.S@6.19:335-463,560-620), head.S@6.19 starts at
   * primary_entry; 4.16 does it all in entry.S@4.16.13 (el0_svc_naked, irq_handler). */
  ARM64_ENTRY_COMMON("arch/arm64/kernel/entry-common.c@6.19; arch/arm64/kernel/entry.S@6.19:335-463",
      "sym:el0_*,el1_*,el0t_*,el1h_*,__handle_domain_irq,do_notify_resume,finish_ret_to_user,"
      + "ret_fast_syscall,work_pending,__gic_handle_irq*,__invoke_syscall,invoke_syscall,"
      + "call_on_irq_stack,do_el0_svc,do_interrupt_handler,stext,primary_entry,__primary_switch*,"
      + "init_cpu_task,cpu_switch_to,__secondary_switched,secondary_start_kernel"),
  /** arm64: task_pt_regs(tsk)->stackframe is every task's final frame record, and since 6.13 it is
   * a typed struct frame_record_meta (FINAL, PT_REGS) that the entry code also writes for EL1
   * exceptions (arch/arm64/include/asm/stacktrace/frame.h@6.19; ptrace.h@6.19:156-172;
   * process.c@6.19 copy_thread sets cpu_context.fp to it). 4.16: stackframe[2] = {0,0}. */
  ARM64_FINAL_FRAME_RECORD("arch/arm64/include/asm/stacktrace/frame.h@6.19; "
      + "arch/arm64/include/asm/ptrace.h@6.19:156-172, @4.16.13:119-141",
      "struct:pt_regs,frame_record_meta"),
  /** arm64's kernel VA layout flipped (linear map in the lower half, vmalloc and the image in the
   * upper): arch/arm64/include/asm/memory.h@6.19:44-66 against @4.16.13:66-72 (research arm64.md
   * §1.2). */
  ARM64_FLIPPED_VA("arch/arm64/include/asm/memory.h@6.19:44-66; @4.16.13:66-72", "sym:"),
  /** Hardirq-exit softirqs move to the IRQ stack through do_softirq_own_stack() (i386:
   * arch/x86/Kconfig@4.16.13:150, irq_32.c@4.16.13:132-147; arm64: arch/arm64/Kconfig@6.19:283,
   * arch/arm64/kernel/irq.c@6.19:65-75, kernel/softirq.c@6.19:487-508); without it __do_softirq
   * runs on irq_exit's stack. */
  SOFTIRQ_ON_OWN_STACK("arch/arm64/Kconfig@6.19:283; arch/arm64/kernel/irq.c@6.19:65-75; "
      + "arch/x86/Kconfig@4.16.13:150; arch/x86/kernel/irq_32.c@4.16.13:132-147",
      "sym:do_softirq_own_stack,____do_softirq"),
  /** The build makes sibling calls: x86_64 defaults to ORC (arch/x86/Kconfig.debug@6.19:225-227,
   * @4.16.13:354), so without -fno-optimize-sibling-calls {@code return f(args)} is a jump unless
   * f is __noreturn (arch/x86/entry/syscall_64.c@6.19:12-13, syscall_64.tbl@6.19) or a local's
   * address escaped; i386 (frame pointers) and arm64 (arch/arm64/Kconfig@6.19:145) keep every
   * frame. */
  SIBLING_CALLS("arch/x86/Kconfig.debug@6.19:225-227, @4.16.13:354; Makefile@6.19:923-937, "
      + "@4.16.13:757; "
      + "arch/x86/entry/syscall_64.c@6.19:12-13,31-38", "sym:__do_sys_clone,__do_sys_clone3");

  private final String citation;
  private final String touches;

  /**
   * @param touches what the feature shows up as, for {@code kstack diff}:
   *                {@code sym:a,b*;struct:c;const:D}
   *                (a trailing * matches a prefix)
   */
  Feature(String citation, String touches) {
    this.citation = citation;
    this.touches = touches;
  }

  /** Whether this feature explains a symbol's presence (or absence) in an image. */
  public boolean explainsSymbol(String symbol) {
    return matches("sym:", symbol);
  }

  /** Whether this feature explains a profile constant's value (or absence). */
  public boolean explainsConstant(String name) {
    return matches("const:", name);
  }

  /** Whether this feature changes the layout of a struct. */
  public boolean explainsStruct(String struct) {
    return matches("struct:", struct);
  }

  private boolean matches(String kind, String name) {
    for (String part : touches.split(";")) {
      if (!part.startsWith(kind)) {
        continue;
      }
      for (String n : part.substring(kind.length()).split(",")) {
        if (!n.isEmpty() && (n.endsWith("*") ? name.startsWith(n.substring(0, n.length() - 1))
            : n.equals(name))) {
          return true;
        }
      }
    }
    return false;
  }

  public String citation() {
    return citation;
  }
}
