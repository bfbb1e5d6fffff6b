// What one hand-off between tasks on one core costs, threads of one process against separate
// processes: K tasks pass a byte round a ring of pipes, all pinned to the core the caller is on,
// and the CPU time (user + system, every task) is divided by the hand-offs. Each hand-off is a
// write, a read and a context switch; between processes the switch also changes the address
// space, which a paravirtualised guest (PVM) pays for in the hypervisor. bench/README.md,
// "Children taking turns on one core".
//
//   gcc -O2 -pthread -o "$bin" bench/switch-cost.c && taskset -c 1 "$bin" [hand-offs per task]
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int ring_size;
static long rounds;
static int (*pipes)[2];

static void *member(void *arg)
{
    long i = (long)arg;
    char c;
    for (long r = 0; r < rounds; r++) {
        if (read(pipes[i][0], &c, 1) != 1 || write(pipes[(i + 1) % ring_size][1], &c, 1) != 1)
            break;
    }
    return NULL;
}

static double cpu_seconds(int who)
{
    struct rusage u;
    getrusage(who, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// One ring, in a process of its own so that RUSAGE_CHILDREN counts only this ring's tasks.
static double ring(int processes, int k)
{
    int out[2];
    if (pipe(out) != 0)
        exit(1);
    pid_t runner = fork();
    if (runner == 0) {
        ring_size = k;
        pipes = malloc(sizeof(int[2]) * k);
        for (int i = 0; i < k; i++)
            if (pipe(pipes[i]) != 0)
                _exit(1);
        pthread_t threads[64];
        for (long i = 1; i < k; i++) {
            if (processes) {
                if (fork() == 0) {
                    member((void *)i);
                    _exit(0);
                }
            } else {
                pthread_create(&threads[i], NULL, member, (void *)i);
            }
        }
        char c = 'x';
        if (write(pipes[1 % k][1], &c, 1) != 1)
            _exit(1);
        for (long r = 0; r < rounds; r++) {
            if (read(pipes[0][0], &c, 1) != 1)
                _exit(1);
            if (r < rounds - 1 && write(pipes[1 % k][1], &c, 1) != 1)
                _exit(1);
        }
        for (int i = 1; i < k; i++) {
            if (processes)
                wait(NULL);
            else
                pthread_join(threads[i], NULL);
        }
        double us = (cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN)) * 1e6 / ((double)rounds * k);
        if (write(out[1], &us, sizeof us) != sizeof us)
            _exit(1);
        _exit(0);
    }
    double us = -1;
    if (read(out[0], &us, sizeof us) != sizeof us)
        us = -1;
    waitpid(runner, NULL, 0);
    close(out[0]);
    close(out[1]);
    return us;
}

int main(int argc, char **argv)
{
    rounds = argc > 1 ? atol(argv[1]) : 40000;
    int sizes[] = {2, 3, 4, 8, 16};
    printf("tasks in the ring | threads: us CPU per hand-off | processes: us CPU per hand-off\n");
    for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        printf("%17d | %28.2f | %30.2f\n", sizes[s], ring(0, sizes[s]), ring(1, sizes[s]));
    return 0;
}
