#pragma once
// The dispute part of the screenshot tour, by mouse alone: Tools → Start demo network, the
// job list, the tampered job opened, the challenge confirmed step by step, the timeline
// mid-dispute with the interval on the graph, then automatic play to the won verdict.
namespace tao::tour {
class Tour;
}
namespace tao::views {
class MainWindow;
}

void addDisputeTour(tao::tour::Tour& tour, tao::views::MainWindow* w);
