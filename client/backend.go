package client

import (
	"context"

	gwclient "github.com/hyperledger/fabric-gateway/pkg/client"
)

// backend is the part of fabric-gateway a Client uses, one method per
// gateway call. Unit tests replace it with a fake that fails like the
// gateway does.
type backend interface {
	evaluate(ctx context.Context, fn string, args []string) ([]byte, error)
	// propose builds a new proposal, with a new transaction ID every time.
	propose(fn string, args []string) (proposal, error)
}

// proposal is a transaction proposal, ready to endorse.
type proposal interface {
	txID() string
	endorse(ctx context.Context) (endorsement, error)
}

// endorsement is an endorsed transaction, ready to submit.
type endorsement interface {
	result() []byte
	submit(ctx context.Context) (commitment, error)
}

// commitment is a submitted transaction whose commit can be awaited.
type commitment interface {
	status(ctx context.Context) (*gwclient.Status, error)
}

// gateway is the backend over a fabric-gateway contract; it streams the
// chaincode's events too (events.go).
type gateway struct {
	contract *gwclient.Contract
	gatewayEvents
}

func (g gateway) evaluate(ctx context.Context, fn string, args []string) ([]byte, error) {
	return g.contract.EvaluateWithContext(ctx, fn, gwclient.WithArguments(args...))
}

func (g gateway) propose(fn string, args []string) (proposal, error) {
	p, err := g.contract.NewProposal(fn, gwclient.WithArguments(args...))
	if err != nil {
		return nil, err
	}
	return gatewayProposal{p}, nil
}

type gatewayProposal struct{ p *gwclient.Proposal }

func (p gatewayProposal) txID() string { return p.p.TransactionID() }

func (p gatewayProposal) endorse(ctx context.Context) (endorsement, error) {
	tx, err := p.p.EndorseWithContext(ctx)
	if err != nil {
		return nil, err
	}
	return gatewayTx{tx}, nil
}

type gatewayTx struct{ tx *gwclient.Transaction }

func (t gatewayTx) result() []byte { return t.tx.Result() }

func (t gatewayTx) submit(ctx context.Context) (commitment, error) {
	commit, err := t.tx.SubmitWithContext(ctx)
	if err != nil {
		return nil, err
	}
	return gatewayCommit{commit}, nil
}

type gatewayCommit struct{ commit *gwclient.Commit }

func (c gatewayCommit) status(ctx context.Context) (*gwclient.Status, error) {
	return c.commit.StatusWithContext(ctx)
}
