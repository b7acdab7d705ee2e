import Columnar
import Datastream
import TestSupport

/// Builds event batches from JSON lines written in the tests.
enum EventLines {
    static func events(_ lines: [String], fileName: String = "test.jsonl") throws -> DatastreamEvents {
        let batch = try JSONLinesDecoder().decode(Array(lines.joined(separator: "\n").utf8), fileName: fileName)
        return try DatastreamEvents(batch: batch, fileName: fileName)
    }

    /// One MySQL event.
    static func mysql(ts: String, file: String, position: Int, change: String = "INSERT", deleted: Bool = false, id: Int = 1) -> String {
        let method = file.isEmpty ? "mysql-backfill-fulldump" : "mysql-cdc-binlog"
        return #"{"uuid":"u","read_timestamp":"\#(ts)","source_timestamp":"\#(ts)","object":"db_t","read_method":"\#(method)","#
            + #""source_metadata":{"table":"t","database":"db","primary_keys":["id"],"log_file":"\#(file)","log_position":\#(position),"#
            + #""change_type":"\#(change)","is_deleted":\#(deleted)},"payload":{"id":\#(id)}}"#
    }

    /// One Oracle event.
    static func oracle(ts: String, scn: Int, rsID: String, ssn: Int, change: String = "INSERT", deleted: Bool = false, keys: [String] = ["ID"]) -> String {
        let keyList = keys.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"uuid":"u","read_timestamp":"\#(ts)","source_timestamp":"\#(ts)","object":"HR_T","read_method":"oracle-cdc-logminer","#
            + #""source_metadata":{"schema":"HR","table":"T","database":"XE","row_id":"AAAE","scn":\#(scn),"rs_id":"\#(rsID)","ssn":\#(ssn),"#
            + #""tx_id":"x","change_type":"\#(change)","is_deleted":\#(deleted),"primary_keys":[\#(keyList)]},"payload":{"ID":1}}"#
    }

    /// One PostgreSQL event; `lsn == nil` writes a null LSN.
    static func postgres(ts: String, lsn: String?, method: String = "postgresql-cdc") -> String {
        let lsnText = lsn.map { "\"\($0)\"" } ?? "null"
        return #"{"uuid":"u","read_timestamp":"\#(ts)","source_timestamp":"\#(ts)","object":"public_t","read_method":"\#(method)","#
            + #""source_metadata":{"schema":"public","table":"t","is_deleted":false,"change_type":"INSERT","tx_id":7,"lsn":\#(lsnText),"primary_keys":[]},"#
            + #""payload":{"id":1}}"#
    }

    /// One SQL Server event with the generic `cdc` read method (as in the synthetic sample).
    static func sqlServer(ts: String, lsn: String?, method: String = "cdc", keys: [String] = [], index: [String] = ["id"]) -> String {
        let lsnText = lsn.map { "\"\($0)\"" } ?? "null"
        let keyList = keys.map { "\"\($0)\"" }.joined(separator: ",")
        let indexList = index.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"uuid":"u","read_timestamp":"\#(ts)","source_timestamp":"\#(ts)","object":"dbo_t","read_method":"\#(method)","#
            + #""source_metadata":{"table":"t","database":"d","schema":"dbo","change_type":"INSERT","is_deleted":false,"lsn":\#(lsnText),"#
            + #""tx_id":"1","primary_keys":[\#(keyList)],"physical_location":[1,2,3],"replication_index":[\#(indexList)]},"payload":{"id":1}}"#
    }
}
