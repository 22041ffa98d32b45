// Command likr is Likr's command line: one command group per contract of
// the chaincode, for every role (admins, suppliers, sellers, buyers,
// moderators, auditors), over the client library.
//
//	likr --profile minji wallet balance
//	likr --profile brand product register --id tea --attributes '{"name":"제주 녹차"}' \
//	    --wholesale 6000 --min-retail 9000 --stock 100
//	likr --profile jisoo order place --id o-1 --listing @seller/jeju/tea --qty 2 --referrer @minji/minji
//	likr --profile auditor --json sales by-time --from 2025-05-01
//
// Run `likr help` for every command. Results print as aligned tables, or
// as JSON with --json. An error prints one line, "likr: CODE: detail
// (contract:Function)", and exits with status 1; a mistake on the command
// line exits with status 2.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the call failed (the error's code says why)
	exitUsage = 2 // the command line is wrong
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}, osSystem(), dialClient)
	stop()
	os.Exit(code)
}

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// dialFunc connects as a profile; tests give a fake.
type dialFunc func(ctx context.Context, p client.Profile, opts ...client.Option) (API, error)

// globals are the flags every command takes, before or after its name.
type globals struct {
	profile     string
	profileFile string
	network     string
	channel     string
	chaincode   string
	json        bool
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.profile, "profile", g.profile, "act as the test network's identity `NAME` (default $LIKR_PROFILE)")
	fs.StringVar(&g.profileFile, "profile-file", g.profileFile, "act as the identity of profile JSON `FILE` (a real network)")
	fs.StringVar(&g.network, "network", g.network, "test network folder `DIR` (default $LIKR_NETWORK, else .likr/network of the repository)")
	fs.StringVar(&g.channel, "channel", g.channel, "channel `NAME`")
	fs.StringVar(&g.chaincode, "chaincode", g.chaincode, "chaincode `NAME`")
	fs.BoolVar(&g.json, "json", g.json, "print results as JSON")
}

// isGlobal reports whether a flag name is one of the globals, which
// command help lists once, apart.
func isGlobal(name string) bool {
	return slices.Contains([]string{"profile", "profile-file", "network", "channel", "chaincode", "json"}, name)
}

// run is the whole command line; it returns the exit status.
func run(ctx context.Context, args []string, std stdio, sys system, dial dialFunc) int {
	s := &session{io: std, sys: sys, dial: dial}
	s.g.channel, s.g.chaincode = client.DefaultChannel, client.DefaultChaincode
	err := s.dispatch(ctx, args)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(std.err, formatError(err, s.cmd))
	var u *usageError
	if errors.As(err, &u) {
		if u.usage != "" {
			fmt.Fprintln(std.err, u.usage)
		}
		return exitUsage
	}
	return exitError
}

func (s *session) dispatch(ctx context.Context, args []string) error {
	top := flag.NewFlagSet("likr", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	s.g.register(top)
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return writeHelp(s.io.out, nil, nil)
		}
		return &usageError{msg: err.Error(), usage: "run `likr help` for the commands"}
	}
	args = top.Args()
	if len(args) == 0 {
		return &usageError{msg: "no command given", usage: "usage: likr [global flags] GROUP COMMAND [flags] [arguments] (likr help lists them)"}
	}
	if args[0] == "help" {
		return s.help(args[1:])
	}
	g := findGroup(args[0])
	if g == nil {
		return &usageError{msg: fmt.Sprintf("unknown command %q", args[0]), usage: "run `likr help` for the commands"}
	}
	args = args[1:]
	cmd := g.direct()
	if cmd == nil {
		if len(args) == 0 || isHelpArg(args[0]) {
			if len(args) == 0 {
				var b strings.Builder
				_ = writeHelp(&b, g, nil)
				return &usageError{msg: fmt.Sprintf("%s needs a command", g.name), usage: strings.TrimRight(b.String(), "\n")}
			}
			return writeHelp(s.io.out, g, nil)
		}
		if cmd = g.find(args[0]); cmd == nil {
			return &usageError{msg: fmt.Sprintf("unknown command %q of %s", args[0], g.name),
				usage: fmt.Sprintf("%s commands: %s (likr help %s)", g.name, strings.Join(g.names(), ", "), g.name)}
		}
		args = args[1:]
	}
	s.cmd = cmd
	fs := flag.NewFlagSet(cmd.path(), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runCmd := cmd.setup(fs)
	s.g.register(fs)
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return writeHelp(s.io.out, g, cmd)
	}
	if err != nil {
		return cmd.usageErr(err.Error())
	}
	if len(pos) < cmd.minArgs || cmd.maxArgs >= 0 && len(pos) > cmd.maxArgs {
		return cmd.usageErr(argCountMessage(cmd, len(pos)))
	}
	defer s.close()
	return runCmd(ctx, s, pos)
}

func isHelpArg(a string) bool {
	return a == "-h" || a == "-help" || a == "--help" || a == "help"
}

func argCountMessage(cmd *command, n int) string {
	switch {
	case cmd.maxArgs == 0:
		return fmt.Sprintf("%s takes no arguments, got %d", cmd.path(), n)
	case n < cmd.minArgs:
		return fmt.Sprintf("%s needs %s", cmd.path(), cmd.args)
	default:
		return fmt.Sprintf("%s takes %s, got %d arguments", cmd.path(), cmd.args, n)
	}
}

// parseInterleaved parses flags wherever they are among the positional
// arguments (the flag package stops at the first positional one), so that
// `likr wallet balance @minji --json` works. After "--" everything is
// positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	pos := []string{}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct {
	msg   string
	usage string // a hint printed on the next line
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// formatError renders an error as the one line likr prints: the
// chaincode's coded error with the transaction it came from, "likr: CODE:
// detail (contract:Function)", or the failure as the client reports it.
func formatError(err error, cmd *command) string {
	var u *usageError
	if errors.As(err, &u) {
		return "likr: " + oneLine(u.msg)
	}
	if errors.Is(err, context.Canceled) {
		return "likr: interrupted"
	}
	fn := ""
	var txErr *client.TxError
	if errors.As(err, &txErr) {
		fn = txErr.Function
	} else if cmd != nil && len(cmd.tx) == 1 {
		fn = cmd.tx[0]
	}
	var coded *errs.Error
	if errors.As(err, &coded) {
		msg := "likr: " + oneLine(coded.Error())
		if fn != "" {
			msg += " (" + fn + ")"
		}
		return msg
	}
	msg := "likr: " + oneLine(err.Error())
	if strings.Contains(msg, "connecting to") || strings.Contains(msg, "connection refused") {
		msg += " (is the network up? make network-up && make deploy)"
	}
	return msg
}

// oneLine joins the lines of a message with "; ".
func oneLine(s string) string {
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return clean(strings.Join(lines, "; "))
}

// session is one run of the command line: the flags, where output goes,
// and the connection, made on first use.
type session struct {
	g    globals
	io   stdio
	sys  system
	dial dialFunc
	cmd  *command

	api     API
	profile *client.Profile
	dir     *directory
	names   map[client.ProductRef]string // product names, for tables
}

// client connects as the chosen profile, once.
func (s *session) client(ctx context.Context) (API, error) {
	if s.api != nil {
		return s.api, nil
	}
	p, err := s.loadProfile()
	if err != nil {
		return nil, err
	}
	api, err := s.dial(ctx, p, client.WithChannel(s.g.channel), client.WithChaincode(s.g.chaincode))
	if err != nil {
		return nil, err
	}
	s.api = api
	// Commands run one after another by different identities (a seller
	// ships, then the buyer confirms) must see each other's writes, but
	// the buyer's peer may be a block behind the seller's: wait for the
	// block of the last write any likr command made on this network.
	if last, ok := s.lastBlock(); ok {
		if err := api.WaitForBlock(ctx, last); err != nil {
			return nil, err
		}
	}
	return api, nil
}

// sessionFile keeps the block of the last write a likr command made on the
// test network, so that the next command, as any identity, waits for it.
// A real network's profiles (--profile-file) share no such file.
func (s *session) sessionFile() string {
	if s.g.profileFile != "" {
		return ""
	}
	return filepath.Join(networkDir(s.g.network, s.sys), "likr-cli-block")
}

func (s *session) lastBlock() (uint64, bool) {
	path := s.sessionFile()
	if path == "" {
		return 0, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	return n, err == nil
}

// noteBlock records the block of a committed write for later commands.
func (s *session) noteBlock(block uint64) {
	path := s.sessionFile()
	if last, ok := s.lastBlock(); path == "" || ok && last >= block {
		return
	}
	// Best effort: without the file a later command may only see a peer a
	// block behind, which its error then tells.
	_ = os.WriteFile(path, []byte(strconv.FormatUint(block, 10)+"\n"), 0o644)
}

func (s *session) close() {
	if s.api != nil {
		_ = s.api.Close()
	}
}

// loadProfile reads the profile --profile-file or --profile names.
func (s *session) loadProfile() (client.Profile, error) {
	if s.profile != nil {
		return *s.profile, nil
	}
	name := s.g.profile
	if name == "" && s.g.profileFile == "" {
		name = s.sys.getenv("LIKR_PROFILE")
	}
	var p client.Profile
	var err error
	switch {
	case s.g.profileFile != "" && s.g.profile != "":
		return client.Profile{}, usagef("give --profile or --profile-file, not both")
	case s.g.profileFile != "":
		p, err = client.LoadProfile(s.g.profileFile)
	case name != "":
		p, err = s.directory().profile(name)
	default:
		known := s.directory().list()
		msg := "no identity: give --profile NAME (a test network identity) or --profile-file FILE"
		if len(known) > 0 {
			msg += "; the test network has: " + strings.Join(known, ", ")
		}
		return client.Profile{}, usagef("%s", msg)
	}
	if err != nil {
		return client.Profile{}, err
	}
	s.profile = &p
	return p, nil
}

// directory is the folder of profiles that @name refers to: the one of
// --profile-file, else the test network's.
func (s *session) directory() *directory {
	if s.dir == nil {
		if s.g.profileFile != "" {
			s.dir = newDirectory(dirOf(s.g.profileFile), "")
		} else {
			net := networkDir(s.g.network, s.sys)
			s.dir = newDirectory(net+"/profiles", " (start the test network with `make network-up`, or give --network DIR)")
		}
	}
	return s.dir
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i]
	}
	return "."
}

// me is the caller's account.
func (s *session) me(ctx context.Context) (string, error) {
	api, err := s.client(ctx)
	if err != nil {
		return "", err
	}
	return api.Account(), nil
}

// account resolves an account argument: a 40-hex account ID, @name for
// the account of profile name, or a system holder (~...).
func (s *session) account(arg string) (string, error) {
	if name, ok := strings.CutPrefix(arg, "@"); ok {
		return s.directory().account(name)
	}
	if strings.HasPrefix(arg, "~") {
		return arg, nil // a system holder (~platform.fees, ~pool.campaign, ...): auditors and admins read them
	}
	if isAccountID(strings.ToLower(arg)) {
		return strings.ToLower(arg), nil
	}
	if _, err := s.directory().account(arg); err == nil {
		return "", usagef("%q is not an account ID; did you mean @%s?", arg, arg)
	}
	return "", usagef("%q is not an account: give an account ID (40 hex digits) or @name of a profile", arg)
}

// accountOrMe resolves an optional account argument; none means the
// caller.
func (s *session) accountOrMe(ctx context.Context, args []string, i int) (string, error) {
	if i < len(args) {
		return s.account(args[i])
	}
	return s.me(ctx)
}

// who names an account in tables: @name when a profile has it, else its
// ID.
func (s *session) who(account string) string {
	if account == "" {
		return ""
	}
	if n, ok := s.directory().name(account); ok {
		return "@" + n
	}
	return account
}

// whoFull names an account in a record: its ID, and the profile's name
// when there is one.
func (s *session) whoFull(account string) string {
	if n, ok := s.directory().name(account); ok {
		return account + " (@" + n + ")"
	}
	return account
}

// ref names a business object as the CLI takes it back: OWNER/ID/...
func (s *session) ref(owner string, ids ...string) string {
	return strings.Join(append([]string{s.who(owner)}, ids...), "/")
}

// printJSON writes v as indented JSON, non-ASCII text as is.
func (s *session) printJSON(v any) error {
	enc := json.NewEncoder(s.io.out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// show prints a result: as JSON with --json, else as human prints it.
func (s *session) show(v any, human func(w io.Writer) error) error {
	if s.g.json {
		return s.printJSON(v)
	}
	return human(s.io.out)
}

// committedJSON is how --json prints a committed write: the transaction
// and, when the function returns one, its typed result.
type committedJSON struct {
	TxID     string `json:"txId"`
	Block    uint64 `json:"block"`
	Attempts int    `json:"attempts"`
	Result   any    `json:"result,omitempty"`
}

// committed prints a committed write: what it did (human, may be nil),
// then its transaction.
func (s *session) committed(r client.Receipt, result any, human func(w io.Writer) error) error {
	s.noteBlock(r.Block)
	if s.g.json {
		return s.printJSON(committedJSON{TxID: r.TxID, Block: r.Block, Attempts: r.Attempts, Result: result})
	}
	if human != nil {
		if err := human(s.io.out); err != nil {
			return err
		}
	}
	retried := ""
	if r.Attempts > 1 {
		retried = fmt.Sprintf(", after %d attempts", r.Attempts)
	}
	_, err := fmt.Fprintf(s.io.out, "committed in block %d, tx %s%s\n", r.Block, r.TxID, retried)
	return err
}

// line returns a printer of one line, for committed.
func line(format string, args ...any) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := fmt.Fprintln(w, clean(fmt.Sprintf(format, args...)))
		return err
	}
}

// more tells a person how to get the next page.
func (s *session) more(bookmark string) {
	if bookmark != "" && !s.g.json {
		fmt.Fprintf(s.io.err, "more: add --bookmark %s, or --all\n", bookmark)
	}
}
