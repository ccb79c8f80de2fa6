// Types from these modules appear in DealregKit's public API.
@_exported import DealregCSV
@_exported import DealregIdentity
@_exported import DealregPolicy
@_exported import DealregRules
@_exported import DealregReport
@_exported import DealregLedger
