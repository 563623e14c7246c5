import { describe, expect, it } from "bun:test";
import { parseCsv, toCsv } from "../../src/menu/csv";
import { groupRuleErrors } from "../../src/menu/rules";

describe("CSV", () => {
  it("round-trips commas, quotes, line breaks and leading spaces", () => {
    const rows = [["a", 'say "hi", then', "two\nlines", " padded"], ["", "x", "", ""]];
    expect(parseCsv(toCsv(rows)).map((r) => r.cells)).toEqual(rows);
  });

  it("keeps a quote inside an unquoted value as a character and counts blank rows, as a spreadsheet does", () => {
    expect(parseCsv('item,12" pizza\n\nnext,x').map((r) => [r.row, r.cells])).toEqual([[1, ["item", '12" pizza']], [2, [""]], [3, ["next", "x"]]]);
  });

  it("names the row of a quoted value that is never closed", () => {
    expect(() => parseCsv('a,b\nc,"open')).toThrow("a quoted value is opened but never closed");
  });

  it("numbers records as a spreadsheet numbers rows, and reads CRLF and LF alike", () => {
    expect(parseCsv("h\r\na\nb").map((r) => r.row)).toEqual([1, 2, 3]);
  });
});

describe("modifier group rules", () => {
  it("names the field at fault", () => {
    expect(groupRuleErrors({ required: false, minSelect: 0, maxSelect: 2, optionCount: 3, defaultCount: 0 })).toEqual({});
    expect(groupRuleErrors({ required: true, minSelect: 1, maxSelect: 1, optionCount: 0, defaultCount: 0 })).toEqual({ options: "A required group needs at least one option" });
    expect(Object.keys(groupRuleErrors({ required: false, minSelect: 3, maxSelect: 2, optionCount: 1, defaultCount: 3 })).sort()).toEqual(["maxSelect", "minSelect", "options"]);
  });
});
