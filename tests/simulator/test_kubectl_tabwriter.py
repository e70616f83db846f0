"""The Go tabwriter port: column blocks, padding, trailing cells."""

from __future__ import annotations

from simulator.kubectl.tabwriter import format_tabbed, render_table


def test_get_table_pads_every_column_but_the_last() -> None:
    rows = [["NAME", "READY", "AGE"], ["kubia-abcde", "1/1", "5m"]]
    assert render_table(rows) == "NAME          READY   AGE\nkubia-abcde   1/1     5m\n"


def test_minwidth_six_applies_to_short_columns() -> None:
    assert render_table([["A", "B"], ["x", "y"]]) == "A     B\nx     y\n"


def test_lines_without_tabs_end_a_column_block() -> None:
    text = "Name:\tweb\nLabels:\tapp=web\nSubsets:\n  Addresses:\t10.0.0.1\n"
    assert format_tabbed(text) == (
        "Name:    web\nLabels:  app=web\nSubsets:\n  Addresses:  10.0.0.1\n"
    )


def test_continuation_lines_align_with_their_block() -> None:
    text = "Labels:\tapp=kubia\n\tpod-template-hash=5d9f\nAnnotations:\t<none>\n"
    assert format_tabbed(text) == (
        "Labels:       app=kubia\n              pod-template-hash=5d9f\nAnnotations:  <none>\n"
    )


def test_inner_columns_only_align_consecutive_lines() -> None:
    # describe service: Port and NodePort have two cells, TargetPort between them one.
    text = "Port:\thttp\t80/TCP\nTargetPort:\t8080/TCP\nNodePort:\thttp\t30007/TCP\n"
    assert format_tabbed(text) == (
        "Port:        http  80/TCP\nTargetPort:  8080/TCP\nNodePort:    http  30007/TCP\n"
    )


def test_tab_terminated_empty_cells_are_padded() -> None:
    text = "  Host\tPath\tBackends\n  foo\t\n  \t/   \tsvc:80\n"
    assert format_tabbed(text) == "  Host  Path  Backends\n  foo   \n        /     svc:80\n"
