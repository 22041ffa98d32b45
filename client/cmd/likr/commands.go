package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// runFunc runs a command with its positional arguments; its flags are
// bound by the setup that returned it.
type runFunc func(ctx context.Context, s *session, args []string) error

// command is one subcommand, such as `likr wallet mint`.
type command struct {
	group   string
	name    string // "" for a group that is one command (events, profiles)
	args    string // the positional arguments as usage shows them
	flags   string // the main flags, for the usage line: "--id ID --name NAME"
	summary string
	// tx lists the transactions the command calls ("wallet:Mint"); the
	// coverage test holds the CLI to the chaincode's list, and an error
	// that does not name its transaction is reported with the only one.
	tx               []string
	minArgs, maxArgs int // maxArgs < 0: no limit
	setup            func(fs *flag.FlagSet) runFunc
}

func (c *command) path() string {
	return strings.TrimSpace("likr " + c.group + " " + c.name)
}

func (c *command) usageLine() string {
	line := c.path()
	if c.flags != "" {
		line += " " + c.flags
	}
	if c.args != "" {
		line += " " + c.args
	}
	return line
}

func (c *command) usageErr(msg string) error {
	return &usageError{msg: msg, usage: fmt.Sprintf("usage: %s (%s --help)", c.usageLine(), c.path())}
}

// group is a command group; most mirror one contract.
type group struct {
	name     string
	summary  string
	contract string // the chaincode contract it calls, "" for none
	commands []*command
}

// direct returns the command of a group that is a single command.
func (g *group) direct() *command {
	if len(g.commands) == 1 && g.commands[0].name == "" {
		return g.commands[0]
	}
	return nil
}

func (g *group) find(name string) *command {
	for _, c := range g.commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (g *group) names() []string {
	var names []string
	for _, c := range g.commands {
		names = append(names, c.name)
	}
	return names
}

// newGroup builds a group and names its commands' group.
func newGroup(name, contract, summary string, commands ...*command) *group {
	for _, c := range commands {
		c.group = name
	}
	return &group{name: name, contract: contract, summary: summary, commands: commands}
}

// groups lists every group in the order help shows them.
var groups = []*group{
	configGroup(), walletGroup(), productGroup(), storeGroup(), orderGroup(), salesGroup(),
	reviewGroup(), rewardGroup(), moderationGroup(), eventsGroup(), profilesGroup(),
}

func findGroup(name string) *group {
	for _, g := range groups {
		if g.name == name {
			return g
		}
	}
	return nil
}

// help answers `likr help [GROUP [COMMAND]]`.
func (s *session) help(args []string) error {
	if len(args) == 0 {
		return writeHelp(s.io.out, nil, nil)
	}
	g := findGroup(args[0])
	if g == nil {
		return &usageError{msg: fmt.Sprintf("no help for %q: there is no such command", args[0]), usage: "run `likr help` for the commands"}
	}
	if len(args) == 1 {
		if cmd := g.direct(); cmd != nil {
			return writeHelp(s.io.out, g, cmd)
		}
		return writeHelp(s.io.out, g, nil)
	}
	cmd := g.find(args[1])
	if cmd == nil {
		return &usageError{msg: fmt.Sprintf("no command %q in %s", args[1], g.name), usage: fmt.Sprintf("run `likr help %s`", g.name)}
	}
	return writeHelp(s.io.out, g, cmd)
}

const helpIntro = `likr: the command line of Likr, social commerce on Hyperledger Fabric.
Amounts are whole numbers of Likr coin (LKC); rates are basis points (100 bps = 1%).

usage: likr [global flags] GROUP COMMAND [flags] [arguments]
`

const helpArguments = `arguments:
  ACCOUNT   an account ID (40 hex digits), or @NAME: the account of profile NAME
  AMOUNT    a whole number of LKC, digits only: 1500
  refs      [OWNER/]ID, the owner first: a product SUPPLIER/ID, a store OWNER/STORE,
            a listing OWNER/STORE/LISTING, an order BUYER/ID; without the owner,
            your own (@seller/jeju/tea, or jeju/tea when you are the seller)
  times     2025-05-01 (midnight UTC) or 2025-05-01T09:00:00+09:00
  JSON      inline, @FILE, or - for standard input
  lists     one page of up to 100; --limit N, --bookmark B, --all for every page
`

const helpGlobals = `global flags (before or after the command):
  --profile NAME       act as identity NAME of the test network (default $LIKR_PROFILE);
                       likr profiles lists them
  --profile-file FILE  act as the identity of a profile JSON file (a real network);
                       @NAME is then the profile NAME.json beside it
  --network DIR        the test network's folder (default $LIKR_NETWORK, else
                       .likr/network of the repository, as make network-up makes it)
  --channel NAME       channel (default likr)
  --chaincode NAME     chaincode (default likr)
  --json               print the typed result as indented JSON; a write prints
                       {"txId","block","attempts","result"}
`

const helpExit = `errors print one line, "likr: CODE: detail (contract:Function)", and exit 1;
command-line mistakes exit 2. likr help GROUP [COMMAND] tells more.
`

// writeHelp prints the help of everything (g nil), of a group (cmd nil)
// or of a command.
func writeHelp(w io.Writer, g *group, cmd *command) error {
	var b strings.Builder
	switch {
	case g == nil:
		b.WriteString(helpIntro)
		for _, g := range groups {
			b.WriteString("\n")
			writeGroup(&b, g)
		}
		b.WriteString("\n" + helpArguments + "\n" + helpGlobals + "\n" + helpExit)
	case cmd == nil:
		writeGroup(&b, g)
		fmt.Fprintf(&b, "\nlikr help %s COMMAND shows a command's flags; likr help lists the global flags.\n", g.name)
	default:
		fmt.Fprintf(&b, "usage: %s\n\n%s.\n", cmd.usageLine(), upperFirst(cmd.summary))
		if len(cmd.tx) > 0 {
			fmt.Fprintf(&b, "calls: %s\n", strings.Join(cmd.tx, ", "))
		}
		fs := flag.NewFlagSet(cmd.path(), flag.ContinueOnError)
		cmd.setup(fs)
		writeFlags(&b, fs)
		b.WriteString("\nglobal flags: --profile NAME | --profile-file FILE, --network DIR, --json (likr help)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeGroup(b *strings.Builder, g *group) {
	title := g.name + ": " + g.summary
	if g.contract != "" {
		title += " (contract " + g.contract + ")"
	}
	b.WriteString(title + "\n")
	if c := g.direct(); c != nil {
		fmt.Fprintf(b, "  %s\n    %s\n", c.usageLine(), c.summary)
		return
	}
	width := 0
	lines := make([]string, len(g.commands))
	for i, c := range g.commands {
		lines[i] = strings.TrimSpace(c.name + " " + c.args)
		width = max(width, displayWidth(lines[i]))
	}
	for i, c := range g.commands {
		fmt.Fprintf(b, "  %s  %s\n", pad(lines[i], width, false), c.summary)
	}
}

// writeFlags lists a command's own flags.
func writeFlags(b *strings.Builder, fs *flag.FlagSet) {
	type row struct{ name, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		if isGlobal(f.Name) {
			return
		}
		kind, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if kind != "" {
			name += " " + kind
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "-1" {
			usage += " (default " + f.DefValue + ")"
		}
		rows = append(rows, row{name, usage})
		width = max(width, len(name))
	})
	if len(rows) == 0 {
		return
	}
	b.WriteString("\nflags:\n")
	for _, r := range rows {
		fmt.Fprintf(b, "  %s  %s\n", pad(r.name, width, false), r.usage)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
