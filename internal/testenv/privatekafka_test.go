package testenv

import (
	"net"
	"strconv"
	"testing"
)

// freePorts gives n free ports in a row, below Linux's ephemeral range (32768-60999) and
// above kafka.sh's own picks (9092-9131), and steps over a port that is taken.
func TestFreePorts(t *testing.T) {
	for _, n := range []int{2, 3} {
		for range 50 {
			p := freePorts(t, n)
			if p < 20000 || p+n-1 >= 32768 {
				t.Fatalf("freePorts(%d) = %d: outside 20000-32767", n, p)
			}
			for q := p; q < p+n; q++ {
				ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(q))
				if err != nil {
					t.Fatalf("freePorts(%d) = %d, but %d is taken: %v", n, p, q, err)
				}
				ln.Close()
			}
		}
	}
	// Hold the second port of one answer: it is never given again while held.
	p := freePorts(t, 2)
	held, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+1))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	for range 500 {
		if q := freePorts(t, 2); q <= p+1 && p+1 < q+2 {
			t.Fatalf("freePorts(2) = %d while %d is held", q, p+1)
		}
	}
}
