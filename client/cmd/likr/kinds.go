package main

import (
	"context"
	"flag"
	"io"

	"github.com/likrcommerce/likr/client"
)

// The kinds of command. Most commands show a record, list pages or make a
// write; each kind runs here once, and a command supplies only what is its
// own: how its arguments resolve, the API method it calls (a method
// expression such as API.Product), and how the result reads to a person.
// Every kind resolves the arguments before it connects, so that a mistake
// on the command line is told without the network.

// A resolver makes a command's positional arguments what it acts on.
type resolver[R any] func(s *session, ctx context.Context, args []string) (R, error)

// firstArg resolves the first argument with ref ((*session).productRef,
// ...).
func firstArg[R any](ref func(*session, context.Context, string) (R, error)) resolver[R] {
	return func(s *session, ctx context.Context, args []string) (R, error) { return ref(s, ctx, args[0]) }
}

// accountArg resolves an optional account argument; none means the
// caller.
func accountArg(s *session, ctx context.Context, args []string) (string, error) {
	return s.accountOrMe(ctx, args, 0)
}

// noArgs resolves the arguments of a command that takes none.
func noArgs(*session, context.Context, []string) (struct{}, error) { return struct{}{}, nil }

// read connects and reads with get (API.Config, ...).
func read[T any](ctx context.Context, s *session, get func(API, context.Context) (T, error)) (T, error) {
	api, err := s.client(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	return get(api, ctx)
}

// readBy connects and reads what ref names with get (API.Product, ...).
func readBy[R, T any](ctx context.Context, s *session, get func(API, context.Context, R) (T, error), ref R) (T, error) {
	return read(ctx, s, func(api API, ctx context.Context) (T, error) { return get(api, ctx, ref) })
}

// recordCmd is a command that shows the one record its arguments name:
// resolve makes them what get takes, and layout lays the record out for a
// person.
func recordCmd[R, T any](resolve resolver[R], get func(API, context.Context, R) (T, error),
	layout func(s *session, ctx context.Context, v T) *fields) func(*flag.FlagSet) runFunc {
	return func(*flag.FlagSet) runFunc {
		return func(ctx context.Context, s *session, args []string) error {
			ref, err := resolve(s, ctx, args)
			if err != nil {
				return err
			}
			v, err := readBy(ctx, s, get, ref)
			if err != nil {
				return err
			}
			return s.show(v, func(w io.Writer) error { return layout(s, ctx, v).render(w) })
		}
	}
}

// reportCmd is a command without arguments that shows what get reads
// (API.Config, ...), as layout lays it out.
func reportCmd[T any](get func(API, context.Context) (T, error), layout func(s *session, v T) *fields) func(*flag.FlagSet) runFunc {
	return recordCmd(noArgs, func(api API, ctx context.Context, _ struct{}) (T, error) { return get(api, ctx) },
		func(s *session, _ context.Context, v T) *fields { return layout(s, v) })
}

// A pageSource reads one page of a list.
type pageSource[P any] func(api API, ctx context.Context, page client.PageRequest) (P, error)

// pagesOf is the list that list (API.Products, ...) reads of what ref
// names.
func pagesOf[R, P any](list func(API, context.Context, R, client.PageRequest) (P, error), ref R) pageSource[P] {
	return func(api API, ctx context.Context, page client.PageRequest) (P, error) {
		return list(api, ctx, ref, page)
	}
}

// showPages connects and fetches one page of source, or with --all every
// page, into one page, whose items and bookmark parts names. It prints the
// page as JSON, or its items as human lays them out, and offers the next
// page's bookmark.
func showPages[P, T any](ctx context.Context, s *session, p *pager, parts func(*P) (*[]T, *string),
	source pageSource[P], human func(w io.Writer, items []T) error) error {
	api, err := s.client(ctx)
	if err != nil {
		return err
	}
	var page P
	items, bookmark := parts(&page)
	*items = []T{} // JSON shows no items as [], not null
	*bookmark, err = p.pages(func(pr client.PageRequest) (string, error) {
		got, err := source(api, ctx, pr)
		more, next := parts(&got)
		*items = append(*items, *more...)
		return *next, err
	})
	if err != nil {
		return err
	}
	defer s.more(*bookmark)
	return s.show(page, func(w io.Writer) error { return human(w, *items) })
}

// A listView lays out the items of a list for a person; ref is what the
// arguments named.
type listView[R, T any] func(s *session, ctx context.Context, w io.Writer, ref R, items []T) error

// listCmd is a command that lists what its arguments name: resolve makes
// them what list takes, parts names the items and bookmark of its page
// type, and view lays the items out.
func listCmd[R, P, T any](resolve resolver[R], list func(API, context.Context, R, client.PageRequest) (P, error),
	parts func(*P) (*[]T, *string), view listView[R, T]) func(*flag.FlagSet) runFunc {
	return func(fs *flag.FlagSet) runFunc {
		p := addPager(fs)
		return func(ctx context.Context, s *session, args []string) error {
			ref, err := resolve(s, ctx, args)
			if err != nil {
				return err
			}
			return showPages(ctx, s, p, parts, pagesOf(list, ref), func(w io.Writer, items []T) error {
				return view(s, ctx, w, ref, items)
			})
		}
	}
}

// rows prints items as the rows of t, or the line none when there are no
// items (and none is not empty).
func rows[T any](w io.Writer, none string, t *table, items []T, row func(T) []string) error {
	if len(items) == 0 && none != "" {
		_, err := io.WriteString(w, none+"\n")
		return err
	}
	for _, item := range items {
		t.add(row(item)...)
	}
	return t.render(w)
}

// A renderer is a record (*fields) or a list (*table) laid out for a
// person.
type renderer interface{ render(w io.Writer) error }

// submit connects, makes a write that returns a record, and prints the
// record as layout lays it out, then the transaction.
func submit[T any, V renderer](ctx context.Context, s *session, call func(API) (T, client.Receipt, error), layout func(T) V) error {
	api, err := s.client(ctx)
	if err != nil {
		return err
	}
	v, receipt, err := call(api)
	if err != nil {
		return err
	}
	return s.committed(receipt, v, func(w io.Writer) error { return layout(v).render(w) })
}

// send connects, makes a write that returns no record, and prints what it
// did (human), then the transaction.
func send(ctx context.Context, s *session, call func(API) (client.Receipt, error), human func(io.Writer) error) error {
	api, err := s.client(ctx)
	if err != nil {
		return err
	}
	receipt, err := call(api)
	if err != nil {
		return err
	}
	return s.committed(receipt, nil, human)
}

// showCheck shows the report of a check, then fails with failure when the
// check did not pass: a script sees it in the exit status.
func (s *session) showCheck(report any, human func(io.Writer) error, passed bool, failure error) error {
	if err := s.show(report, human); err != nil || passed {
		return err
	}
	return failure
}

// verdict is the result line of a check.
func verdict(passed bool, pass, fail string) string {
	if passed {
		return pass
	}
	return fail
}
