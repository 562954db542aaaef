// SPDX-License-Identifier: Apache-2.0
#pragma once
// Deterministic synthetic 640×480 camera frames for the camera tests.

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <string>

namespace hcp::tests {

// A grey desk with a QR of `payload` at (x, y), `modulePx` pixels per module; ink/paper levels.
inline cv::Mat qrFrame(const std::string &payload, int modulePx = 4, int x = 200, int y = 100,
                       int ink = 20, int paper = 235, int background = 150)
{
    cv::Mat f(480, 640, CV_8U, cv::Scalar(background));
    if (payload.empty())
        return f;
    ZXing::MultiFormatWriter w(ZXing::BarcodeFormat::QRCode);
    w.setMargin(4).setEccLevel(3);
    const ZXing::BitMatrix m = w.encode(payload, 0, 0);
    cv::Mat code(m.height(), m.width(), CV_8U);
    for (int r = 0; r < m.height(); ++r)
        for (int c = 0; c < m.width(); ++c)
            code.at<uchar>(r, c) = uchar(m.get(c, r) ? ink : paper);
    cv::resize(code, code, cv::Size(), modulePx, modulePx, cv::INTER_NEAREST);
    code.copyTo(f(cv::Rect(x, y, code.cols, code.rows)));
    return f;
}

inline void addGaussianNoise(cv::Mat &f, double sigma, uint64_t seed)
{
    cv::RNG rng(seed);
    cv::Mat n(f.size(), CV_16S);
    rng.fill(n, cv::RNG::NORMAL, 0, sigma);
    cv::Mat wide;
    f.convertTo(wide, CV_16S);
    wide += n;
    wide.convertTo(f, CV_8U);
}

} // namespace hcp::tests
