// Command genevents writes the engine benchmarks' deterministic events, one per line.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/actuate/actuate/bench/workload"
)

func main() {
	count := flag.Int("n", 10000, "how many events to write")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same events")
	flag.Parse()
	out := bufio.NewWriter(os.Stdout)
	for _, line := range workload.Events(*count, *seed) {
		out.Write(line)
		out.WriteByte('\n')
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genevents:", err)
		os.Exit(1)
	}
}
