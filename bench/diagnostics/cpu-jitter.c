/* A fixed-work loop timed in ~1 ms chunks for 10 s: p50/p90/p99/p99.9/max of a chunk (diagnostics: is plain CPU
 * time being taken from this CPU?). gcc -O1 -o /tmp/cpu-jitter bench/diagnostics/cpu-jitter.c && taskset -c 0 /tmp/cpu-jitter */
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(){ // time fixed work chunks of ~0.5ms for 10 s; report distribution
  volatile double x=0; int n=0; static double d[40000];
  double end=now()+10000;
  while(now()<end && n<40000){ double t=now(); for(int i=0;i<300000;i++) x+=i*0.5; d[n++]=now()-t; }
  // sort
  for(int i=1;i<n;i++){double v=d[i];int j=i-1;while(j>=0&&d[j]>v){d[j+1]=d[j];j--;}d[j+1]=v;}
  printf("n=%d p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f\n",n,d[n/2],d[n*9/10],d[n*99/100],d[n*999/1000],d[n-1]);
}
