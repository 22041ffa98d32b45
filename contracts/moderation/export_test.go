package moderation

// The bounds of the reputation sums as parameters, so that tests reach
// them with a few rows instead of MaxReputationRows.
var (
	ProfileWithin = profile
	ListWithin    = list
)
