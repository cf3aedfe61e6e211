"""Reports and exports of a hearing: the protocol (docx, pdf) in ky/ru/en, spreadsheets (xlsx, csv), a Pabulib
``.pb`` per question, and the audit file with its independent check and recount.

- ``make.write_report(ws, hearing_id, fmt, lang, out, progress)``; ``make.write_export(ws, hearing_id, fmt, out,
  lang, question, progress)``: what the CLI and the console call.
- ``protocol.build_protocol(state, lang, ...) -> Document`` (plain data, ``document``), rendered by
  ``docx.write_docx`` and ``pdf.write_pdf``; its voting part is ``voting``, participants ``participants``.
- ``workbook.workbook_sheets(state, lang)`` -> ``write_xlsx`` / ``write_csv_zip``; ``pb.write_pb_export``.
- ``audit.write_audit(ws, hearing_id, out)``; ``audit.check_audit(path, expect_head)`` needs no workspace: it checks
  the chain and folds the records; ``pbtools verify`` then recounts that state with ``voting.question_reports``.
"""
