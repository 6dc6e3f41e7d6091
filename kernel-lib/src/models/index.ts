// The models: the SVM (models/svm/: scikit-learn-shaped SVC over libsvm's algorithm, scaler,
// pipeline) and the CNNs (models/cnn/); saved model directories and `predict` for both
export * from './svm';
export * from './estimator-files';
export * from './input-rule';
export * from './cnn';
export * from './saved';
export * from './predict';
