package jsvalue

// Member locates one top-level member of an encoded JSON object: its key, and its
// encoded value at dst[Start:End] in the buffer the object was written to. The
// mapping engine lists them as it renders a payload, so that a reader of the payload
// (the destination kit's validation) need not scan it to find them.
type Member struct {
	Key        string
	Start, End int
}
