package jsvalue

import (
	"math"
	"strconv"
	"testing"
)

func TestAppendNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-1, "-1"}, {-1.5, "-1.5"}, {99.5, "99.5"}, {0.1, "0.1"}, {100, "100"},
		{4.35, "4.35"}, {0.30000000000000004, "0.30000000000000004"}, {123456789012, "123456789012"},
		{1e20, "100000000000000000000"}, {123456789012345680000, "123456789012345680000"},
		{1e21, "1e+21"}, {1.5e21, "1.5e+21"}, {2.5e25, "2.5e+25"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
		{1e-6, "0.000001"}, {1.5e-6, "0.0000015"}, {0.000001234, "0.000001234"},
		{1e-7, "1e-7"}, {-1e-7, "-1e-7"}, {1.25e-7, "1.25e-7"}, {5e-324, "5e-324"},
		{math.NaN(), "NaN"}, {math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"},
	}
	for _, tt := range tests {
		if got := string(AppendNumber([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendNumber(%v) = %q, want %q", tt.in, got, "x"+tt.want)
		}
		if got := FormatNumber(tt.in); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
		want := tt.want
		if math.IsNaN(tt.in) || math.IsInf(tt.in, 0) {
			want = "null"
		}
		if got := string(AppendJSONNumber(nil, tt.in)); got != want {
			t.Errorf("AppendJSONNumber(%v) = %q, want %q", tt.in, got, want)
		}
	}
}

func TestFormatNumberSmallIntegersDoNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = FormatNumber(42) }); n != 0 {
		t.Errorf("FormatNumber(42) allocates %v times", n)
	}
}

// FuzzAppendNumber holds the text to what JavaScript's own reader requires of it: it
// reads back as the same number, and a finite one is valid JSON number text.
func FuzzAppendNumber(f *testing.F) {
	for _, seed := range []float64{0, 1, -1.5, 1e21, 1e-7, 123456789012345680000, 5e-324, 0.1} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		text := string(AppendNumber(nil, x))
		if math.IsNaN(x) {
			if text != "NaN" {
				t.Fatalf("AppendNumber(NaN) = %q", text)
			}
			return
		}
		back, err := strconv.ParseFloat(text, 64)
		if err != nil || back != x {
			t.Fatalf("AppendNumber(%v) = %q, which reads back as %v (%v)", x, text, back, err)
		}
		if FormatNumber(x) != text {
			t.Fatalf("FormatNumber(%v) = %q, AppendNumber %q", x, FormatNumber(x), text)
		}
	})
}
