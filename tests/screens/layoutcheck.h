// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

class QQuickItem;
class QQuickWindow;
class QString;

// What every screen must hold, at any size, mode and language (issue 14). Returns one line per
// violation, each naming the item and its scene rectangle; empty when the screen is sound.
//  - every visible interactive item (an enabled TapHandler) and every Text lies inside the
//    window, inside any clipping ancestor, and outside the header/footer it does not belong to;
//  - no two interactive items overlap (the 演示 button is one of them);
//  - a button's text lies inside its button;
//  - no Text is elided or truncated, and no wrapped Text puts a single character on a line;
//  - a list that scrolls shows a scroll hint (an item named "scrollHint…").
// Items under an overlay (maintenance, 代办员 page, idle countdown) are not checked.
QStringList checkLayout(QQuickWindow *window);

// The first item named `name` in the tree under `root` (itself included), or null.
QQuickItem *findItem(QQuickItem *root, const QString &name);
